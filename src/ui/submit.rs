//! Submitting the case: the gate (what is still missing, each with where to go), the
//! application as plain data for the store, and the screen after it was submitted.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::consents::{ConsentRecord, required as required_consents};
use super::intake::case::parse_date;
use super::intake::fields::{FieldId, def};
use super::intake::{Case, IntakeState};
use super::marks::MarkState;
use chrono::NaiveDate;

use crate::i18n::{Message, Tr};
use crate::records::{
    KnownApplicant, Submission, SubmittedAddress, SubmittedConsent, SubmittedDocument,
};
use crate::rules::{Evaluation, RuleSet, Verdict};

/// Something that keeps the case from being submitted, and where it is fixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// The decision is not "proceed" (or the case cannot be evaluated).
    Decision,
    /// An intake field is wrong (its message) or required and empty (none).
    Field(FieldId, Option<Message>),
    /// Answers are still missing: the result is provisional.
    Questions,
    /// A required document is not marked presented.
    Document(String),
    /// A required consent is not given.
    Consent(String),
}

/// What is missing before the case can be submitted (nothing: it can): the decision, every
/// intake field that is wrong or required and empty (the rules need not care about a
/// surname or a checksum, the application does), open questions, documents, consents.
pub fn gaps(
    case: &Case,
    evaluation: Option<&Evaluation>,
    intake: &IntakeState,
    today: NaiveDate,
) -> Vec<Gap> {
    let fields = intake.visible(case).into_iter().filter_map(|id| {
        let problem = case
            .problem(id, today)
            .or_else(|| intake.contradictions.get(&id).cloned());
        let empty = def(id).required && !case.has(id);
        (problem.is_some() || empty).then_some(Gap::Field(id, problem))
    });
    let Some(e) = evaluation.filter(|e| e.decision == Verdict::Proceed) else {
        return std::iter::once(Gap::Decision).chain(fields).collect();
    };
    let mut gaps: Vec<Gap> = fields.collect();
    if e.provisional {
        gaps.push(Gap::Questions);
    }
    for d in e.documents.iter().filter(|d| !d.optional) {
        if case.marks.get(&d.id).map(|m| m.state) != Some(MarkState::Presented) {
            gaps.push(Gap::Document(d.id.clone()));
        }
    }
    for line in required_consents(e) {
        let given = case
            .consents
            .get(&line.key)
            .is_some_and(|r| r.state == "given");
        if !given {
            gaps.push(Gap::Consent(line.key));
        }
    }
    gaps
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateState {
    pub gaps: Vec<Gap>,
    pub selected: usize,
}

fn iso(date: &str) -> Option<String> {
    parse_date(date).map(|d| d.format("%Y-%m-%d").to_string())
}

fn some(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

fn consent_kind(consent: &str, party: &str) -> &'static str {
    match (consent, party) {
        ("personal_data_consent", _) => "personal_data",
        ("co_owner_consent", _) => "co_owner",
        (_, "tenant") => "tenant",
        _ => "owner",
    }
}

/// The application to submit, from the case and its evaluation (which passed the gate).
pub fn submission(case: &Case, e: &Evaluation, draft_id: i64) -> Submission {
    let get = |id: FieldId| case.get(id).to_owned();
    let period_months = case.get(FieldId::PeriodMonths).parse().ok().or_else(|| {
        // An end date counts its whole months from today, at least one.
        let end = parse_date(case.get(FieldId::PeriodEnd))?;
        let months = (((end - e.date).num_days() + 29) / 30).clamp(1, 12);
        u32::try_from(months).ok()
    });
    let record = serde_json::json!({
        "case": case.to_map(),
        "evaluation": e,
    });
    let documents = e
        .documents
        .iter()
        .filter_map(|d| {
            let mark = case.marks.get(&d.id)?;
            (mark.state == MarkState::Presented).then(|| SubmittedDocument {
                requirement: d.id.clone(),
                document: if mark.document.is_empty() {
                    d.one_of.first().cloned().unwrap_or_default()
                } else {
                    mark.document.clone()
                },
                party: d.party.clone(),
                number: some(&mark.number),
                issued_on: iso(&mark.issued),
            })
        })
        .collect();
    let consents = case
        .consents
        .iter()
        .filter(|(_, r)| r.state == "given")
        .map(|(key, r): (&String, &ConsentRecord)| {
            let consent = key.split('#').next().unwrap_or("");
            SubmittedConsent {
                kind: consent_kind(consent, &r.party).to_owned(),
                iin: some(&r.iin),
                name: [
                    r.surname.as_str(),
                    r.given_name.as_str(),
                    r.patronymic.as_str(),
                ]
                .iter()
                .filter(|p| !p.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" "),
                role: r.party.clone(),
                form: r.form.clone(),
                scope: (consent == "personal_data_consent").then(|| "law_94_v".to_owned()),
                given_at: iso(&r.date).unwrap_or_default(),
            }
        })
        .collect();
    Submission {
        draft_id,
        year: chrono::Datelike::year(&e.date),
        iin: get(FieldId::Iin),
        person: KnownApplicant {
            surname: get(FieldId::Surname),
            given_name: get(FieldId::GivenName),
            patronymic: some(case.get(FieldId::Patronymic)),
            birth_date: iso(case.get(FieldId::BirthDate)),
            sex: some(case.get(FieldId::Sex)),
            status: get(FieldId::Status),
            capacity: get(FieldId::Capacity),
        },
        registration_type: e
            .registration
            .clone()
            .unwrap_or_else(|| get(FieldId::Service)),
        period_months,
        address: SubmittedAddress {
            // The cities of republican significance stand for their region.
            region: some(case.get(FieldId::Region))
                .or_else(|| some(case.get(FieldId::City)).filter(|c| c != "other")),
            district: some(case.get(FieldId::District)),
            settlement: some(case.get(FieldId::Settlement)),
            street: some(case.get(FieldId::Street)),
            house: some(case.get(FieldId::House)),
            building: some(case.get(FieldId::Building)),
            apartment: some(case.get(FieldId::Apartment)),
            rka: some(case.get(FieldId::Rka)),
        },
        dwelling_kind: some(case.get(FieldId::DwellingKind)),
        applicant_relation: some(case.get(FieldId::ApplicantRelation)),
        representative_kind: Some(get(FieldId::ActsThrough))
            .filter(|k| k != "self" && !k.is_empty()),
        representative_iin: some(case.get(FieldId::RepresentativeIin)),
        representative_name: some(case.get(FieldId::RepresentativeName)),
        representative_basis: some(case.get(FieldId::AuthorityDocument)),
        ruleset: (
            e.ruleset.id.clone(),
            e.ruleset.version.clone(),
            e.ruleset.sha256.clone(),
        ),
        decision_record: record.to_string(),
        documents,
        consents,
        // An arrival without de-registration proof is registered for the time it takes to
        // get it: the follow-up list reminds the desk.
        follow_up: e
            .fired
            .iter()
            .any(|f| f.rule == "arrival_without_deregistration")
            .then(|| "deregistration_document".to_owned()),
        // Filled in by the effects layer, which knows who is signed in.
        operator: None,
    }
}

fn gap_text(gap: &Gap, set: &RuleSet, tr: &Tr) -> String {
    let v = &set.vocabulary;
    match gap {
        Gap::Decision => tr.t("submit.gap.decision"),
        Gap::Field(id, problem) => {
            let field = tr.t(&format!("field.{}", def(*id).name));
            let problem = problem
                .as_ref()
                .map_or_else(|| tr.t("submit.gap.empty"), |m| m.text(tr));
            tr.f(
                "submit.gap.field",
                &[("field", &field), ("problem", &problem)],
            )
        }
        Gap::Questions => tr.t("submit.gap.questions"),
        Gap::Document(id) => tr.f(
            "submit.gap.document",
            &[(
                "item",
                v.requirements
                    .get(id)
                    .map_or(id.as_str(), |t| t.get(tr.lang)),
            )],
        ),
        Gap::Consent(key) => {
            let consent = key.split('#').next().unwrap_or(key);
            tr.f(
                "submit.gap.consent",
                &[(
                    "item",
                    v.consents.get(consent).map_or(consent, |t| t.get(tr.lang)),
                )],
            )
        }
    }
}

fn popup(area: Rect, rows: u16) -> Rect {
    let popup = super::popup::below_top(area, 2, rows);
    // Inset from the sides, so the screen behind still frames it.
    let inset = if popup.width > 40 { 3 } else { 0 };
    Rect {
        x: popup.x + inset,
        width: popup.width - 2 * inset,
        ..popup
    }
}

/// The lines of `text`, wrapped to `columns` cells, in `style`.
fn wrapped(
    text: &str,
    first: &str,
    indent: usize,
    columns: usize,
    style: Style,
) -> Vec<Line<'static>> {
    crate::text::wrap_to(text, first, indent, columns.max(8))
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect()
}

/// A bordered box over the top of the screen, its keys on the bottom border (always seen);
/// content taller than the box scrolls so that row `keep` stays in view.
fn draw_box(
    title: &str,
    keys: &str,
    lines: Vec<Line<'static>>,
    keep: usize,
    area: Rect,
    frame: &mut Frame,
) {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let area = popup(area, lines.len() as u16 + 2);
    let inner_rows = usize::from(area.height.saturating_sub(2));
    let scroll = (keep + 1).saturating_sub(inner_rows);
    let block = Block::bordered()
        .title(Line::styled(format!(" {title} "), bold))
        .title_bottom(Line::styled(format!(" {keys} "), bold));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll as u16, 0)),
        area,
    );
}

fn inner_columns(area: Rect) -> usize {
    usize::from(popup(area, 3).width.saturating_sub(2))
}

pub fn draw_gate(gate: &GateState, set: &RuleSet, tr: &Tr, area: Rect, frame: &mut Frame) {
    let columns = inner_columns(area);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut lines = wrapped(&tr.t("submit.missing"), "", 0, columns, bold);
    let mut keep = 0;
    for (i, gap) in gate.gaps.iter().enumerate() {
        let selected = i == gate.selected;
        let (style, marker) = if selected {
            (Style::new().add_modifier(Modifier::REVERSED), "▸ ✗ ")
        } else {
            (Style::new(), "  ✗ ")
        };
        let item = wrapped(
            &format!("{} ↵", gap_text(gap, set, tr)),
            marker,
            4,
            columns,
            style,
        );
        if selected {
            keep = lines.len() + item.len() - 1;
        }
        lines.extend(item);
    }
    draw_box(
        &tr.t("submit.title"),
        &tr.t("submit.gate_keys"),
        lines,
        keep,
        area,
        frame,
    );
}

pub fn draw_submitted(number: &str, tr: &Tr, area: Rect, frame: &mut Frame) {
    let columns = inner_columns(area);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    // The number spaced out, so it is read aloud and copied without a mistake.
    let spaced: String = number.chars().flat_map(|c| [c, ' ']).collect();
    let mut lines = vec![Line::raw("")];
    lines.extend(wrapped(&tr.t("submit.done"), "", 0, columns, bold));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("   {}", spaced.trim_end()),
        bold.add_modifier(Modifier::REVERSED),
    ));
    lines.push(Line::raw(""));
    for key in [
        "submit.next.print",
        "submit.next.forms",
        "submit.next.enter",
        "submit.next.family",
    ] {
        lines.extend(wrapped(&tr.t(key), "", 2, columns, Style::new()));
    }
    draw_box(
        &tr.t("submit.title"),
        &tr.t("submit.next_keys"),
        lines,
        0,
        area,
        frame,
    );
}

/// The message when a submission failed in the store.
pub fn failed() -> Message {
    Message::new("submit.failed")
}
