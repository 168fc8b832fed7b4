//! The consent screen (F4): one record per consent the rules require for the case, each a
//! separate person (the owner, each co-owner, the tenant of record, the owner's legal
//! representative, the personal-data consent of the applicant or their representative), with
//! the person's name and IIN, the identity document seen, the state (pending, given, refused,
//! revoked), how it was given, when and by whom, and its history. Records belong to the case,
//! so a draft keeps them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::intake::Edit;
use super::intake::case::parse_date;
use super::text_input::TextInput;
pub use crate::case::consents::{
    Change, ConsentRecord, DOCUMENTS, FORMS, Required, STATES, is_dwelling_consent, lines,
    recorded_state, required,
};
use crate::core::{Iin, PersonName};
use crate::i18n::{Message, Tr};
use crate::rules::{Evaluation, RuleSet};
use crate::text::width;

/// The parts of the editor: label key, kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Name,
    Iin,
    Text(usize),
    Date,
    Choice(&'static [&'static str]),
}

const PARTS: &[(&str, Kind)] = &[
    ("consents.surname", Kind::Name),
    ("consents.given_name", Kind::Name),
    ("consents.patronymic", Kind::Name),
    ("consents.iin", Kind::Iin),
    ("consents.document", Kind::Choice(DOCUMENTS)),
    ("consents.state", Kind::Choice(STATES)),
    ("consents.form", Kind::Choice(FORMS)),
    ("consents.reference", Kind::Text(80)),
    ("consents.date", Kind::Date),
    ("consents.reason", Kind::Text(200)),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentEditor {
    pub key: String,
    pub focus: usize,
    /// Text of each part (choices hold their code).
    pub values: Vec<TextInput>,
    pub problem: Option<Message>,
    before: ConsentRecord,
}

impl ConsentEditor {
    pub fn new(
        key: &str,
        party: &str,
        record: Option<&ConsentRecord>,
        today: NaiveDate,
    ) -> ConsentEditor {
        let r = record.cloned().unwrap_or_else(|| ConsentRecord {
            party: party.to_owned(),
            state: "pending".into(),
            document: "id_card".into(),
            form: "in_person".into(),
            date: today.format("%d.%m.%Y").to_string(),
            ..ConsentRecord::default()
        });
        let values = [
            &r.surname,
            &r.given_name,
            &r.patronymic,
            &r.iin,
            &r.document,
            &r.state,
            &r.form,
            &r.reference,
            &r.date,
            &r.reason,
        ]
        .iter()
        .map(|v| TextInput::new(v))
        .collect();
        ConsentEditor {
            key: key.to_owned(),
            focus: 0,
            values,
            problem: None,
            before: r,
        }
    }

    /// Fills the person's name and IIN (the applicant's own consent) where still empty.
    pub fn prefill(&mut self, surname: &str, given: &str, patronymic: &str, iin: &str) {
        for (i, value) in [(0, surname), (1, given), (2, patronymic), (3, iin)] {
            if self.values[i].is_empty() {
                self.values[i] = TextInput::new(value);
            }
        }
    }

    fn kind(&self) -> Kind {
        PARTS[self.focus].1
    }

    /// Whether the focus is on the last field.
    pub fn on_last_field(&self) -> bool {
        self.focus + 1 >= PARTS.len()
    }

    pub fn next(&mut self, forward: bool) {
        self.focus = if forward {
            (self.focus + 1).min(PARTS.len() - 1)
        } else {
            self.focus.saturating_sub(1)
        };
    }

    pub fn edit(&mut self, edit: Edit) {
        self.problem = None;
        let kind = self.kind();
        let v = &mut self.values[self.focus];
        if let Kind::Choice(codes) = kind {
            let at = codes.iter().position(|c| *c == v.value()).unwrap_or(0);
            let next = match edit {
                Edit::Right => (at + 1) % codes.len(),
                Edit::Left => (at + codes.len() - 1) % codes.len(),
                _ => at,
            };
            *v = TextInput::new(codes[next]);
            return;
        }
        match edit {
            Edit::Left => v.left(),
            Edit::Right => v.right(),
            Edit::Home => v.home(),
            Edit::End => v.end(),
            Edit::WordLeft => v.word_left(),
            Edit::WordRight => v.word_right(),
            Edit::Backspace => {
                v.backspace();
                if kind == Kind::Date && v.value().ends_with('.') {
                    v.backspace();
                }
            }
            Edit::Delete => {
                v.delete();
            }
        }
    }

    pub fn type_text(&mut self, text: &str) {
        self.problem = None;
        let kind = self.kind();
        let v = &mut self.values[self.focus];
        let max = match kind {
            Kind::Name => 60,
            Kind::Iin => 12,
            Kind::Text(max) => max,
            Kind::Date => 10,
            Kind::Choice(_) => return,
        };
        for c in text.chars() {
            let digits = matches!(kind, Kind::Iin | Kind::Date);
            if digits && !c.is_ascii_digit() {
                if c != '.' {
                    self.problem = Some(Message::new("intake.error.digits"));
                }
                continue;
            }
            if v.len() >= max {
                self.problem = Some(Message::new("intake.error.too_long").arg("max", max));
                break;
            }
            v.insert(&c.to_string());
            if kind == Kind::Date && matches!(v.len(), 2 | 5) {
                v.insert(".");
            }
        }
    }

    /// The record to save, or the first problem (shown in the editor). `others` are the IINs
    /// of the case's other consent records and the applicant's: one person, one record.
    pub fn finish(
        &mut self,
        today: NaiveDate,
        operator: &str,
        others: &[String],
    ) -> Option<ConsentRecord> {
        let get = |i: usize| self.values[i].value().trim().to_owned();
        let record = ConsentRecord {
            party: self.before.party.clone(),
            surname: get(0),
            given_name: get(1),
            patronymic: get(2),
            iin: get(3),
            document: get(4),
            state: get(5),
            form: get(6),
            reference: get(7),
            date: get(8),
            reason: get(9),
            recorded_by: operator.to_owned(),
            history: self.before.history.clone(),
        };
        self.problem = problem(&record, today, others);
        if self.problem.is_some() {
            return None;
        }
        let mut record = record;
        if record.state != self.before.state {
            record.history.push(Change {
                state: record.state.clone(),
                date: record.date.clone(),
                by: operator.to_owned(),
                reason: record.reason.clone(),
            });
        } else if self.before.state == "given" {
            record.recorded_by = self.before.recorded_by.clone();
        }
        Some(record)
    }

    /// Whether saving turned a given consent into a revoked one (an audited event).
    pub fn revokes(&self, saved: &ConsentRecord) -> bool {
        self.before.state == "given" && saved.state == "revoked"
    }
}

/// What stops a record from being saved, if anything.
fn problem(r: &ConsentRecord, today: NaiveDate, others: &[String]) -> Option<Message> {
    let name = |text: &str, optional: bool| {
        if optional && text.is_empty() {
            return None;
        }
        PersonName::parse(text)
            .err()
            .map(|e| Message::new(e.message_key()))
    };
    if r.state == "pending" {
        return None; // a pending consent may be incomplete
    }
    name(&r.surname, false)
        .or_else(|| name(&r.given_name, false))
        .or_else(|| name(&r.patronymic, true))
        .or_else(|| {
            Iin::parse(&r.iin)
                .err()
                .map(|e| Message::new(e.message_key()))
        })
        .or_else(|| {
            others
                .contains(&r.iin)
                .then(|| Message::new("consents.error.same_person"))
        })
        .or_else(|| match parse_date(&r.date) {
            Some(d) if d <= today => None,
            _ => Some(Message::new("consents.error.date")),
        })
        .or_else(|| {
            (matches!(r.form.as_str(), "eds" | "notarised") && r.reference.is_empty())
                .then(|| Message::new("consents.error.reference"))
        })
        .or_else(|| {
            (matches!(r.state.as_str(), "refused" | "revoked") && r.reason.is_empty())
                .then(|| Message::new("consents.error.reason"))
        })
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsentsState {
    pub selected: usize,
    pub editor: Option<ConsentEditor>,
}

impl ConsentsState {
    pub fn up(&mut self) -> bool {
        let before = self.selected;
        self.selected = self.selected.saturating_sub(1);
        before != self.selected
    }

    pub fn down(&mut self, count: usize) -> bool {
        let before = self.selected;
        self.selected = (self.selected + 1).min(count.saturating_sub(1));
        before != self.selected
    }
}

fn state_symbol(state: &str) -> &'static str {
    match state {
        "given" => "[✓]",
        "refused" => "[✗]",
        "revoked" => "[↺]",
        _ => "[ ]",
    }
}

#[allow(clippy::too_many_arguments)]
pub fn draw(
    state: &ConsentsState,
    records: &BTreeMap<String, ConsentRecord>,
    evaluation: &Evaluation,
    set: &RuleSet,
    center: Option<&crate::center::CenterProfile>,
    tr: &Tr,
    area: Rect,
    frame: &mut Frame,
) {
    let v = &set.vocabulary;
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let required = lines(evaluation, records);
    let mut lines = Vec::new();
    if required.is_empty() {
        lines.push(Line::raw(tr.t("consents.none_required")));
    }
    for (i, r) in required.iter().enumerate() {
        let record = records.get(&r.key);
        let selected = i == state.selected;
        let name = v
            .consents
            .get(&r.consent)
            .map_or(r.consent.clone(), |t| t.get(tr.lang).to_owned());
        let party = v
            .parties
            .get(&r.party)
            .map_or(r.party.clone(), |t| t.get(tr.lang).to_owned());
        let who = record
            .filter(|rec| !rec.surname.is_empty())
            .map(|rec| {
                let masked = Iin::parse(&rec.iin).map(|i| i.masked()).unwrap_or_default();
                format!(": {} {} {masked}", rec.surname, rec.given_name)
            })
            .unwrap_or_default();
        let how = record
            .filter(|rec| rec.state != "pending")
            .map(|rec| {
                format!(
                    " · {}, {}",
                    tr.t(&format!("consents.form_{}", rec.form)),
                    rec.date
                )
            })
            .unwrap_or_default();
        let marker = if selected { "▸" } else { " " };
        let style = if selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        let number = if r.of > 1 {
            format!(" {}/{}", r.number, r.of)
        } else {
            String::new()
        };
        lines.push(Line::styled(
            format!(
                "{marker} {} {name} — {party}{number}{who}{how}",
                state_symbol(record.map_or("pending", |rec| rec.state.as_str())),
            ),
            style,
        ));
        if r.consent == "personal_data_consent" {
            for line in crate::print::consent_form::personal_data_contents(center, tr) {
                lines.push(Line::raw(line));
            }
        }
        if let Some(rec) = record.filter(|rec| !rec.history.is_empty()) {
            let history: Vec<String> = rec
                .history
                .iter()
                .map(|c| {
                    format!(
                        "{} {}",
                        tr.t(&format!("consents.state_{}", c.state)),
                        c.date
                    )
                })
                .collect();
            lines.push(Line::raw(format!(
                "    {}: {}",
                tr.t("consents.history"),
                history.join(" → ")
            )));
        }
    }
    let block = Block::bordered().title(Line::styled(
        format!(" {} ", tr.t("screen.consent.title")),
        bold,
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
    if let Some(editor) = &state.editor {
        draw_editor(editor, tr, area, frame);
    }
}

fn draw_editor(editor: &ConsentEditor, tr: &Tr, area: Rect, frame: &mut Frame) {
    let popup = super::popup::below_top(area, 1, PARTS.len() as u16 + 4);
    let block = Block::bordered().title(Line::styled(
        format!(" {} ", tr.t("consents.editor")),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    let inner = block.inner(popup);
    let mut lines = Vec::new();
    let mut cursor = None;
    for (i, (label_key, kind)) in PARTS.iter().enumerate() {
        let focused = i == editor.focus;
        let marker = if focused { "▸ " } else { "  " };
        let label = format!("{:<24}", tr.t(label_key));
        let value = editor.values[i].value();
        let shown = match kind {
            Kind::Choice(_) => format!(
                "‹ {} ›",
                tr.t(&format!("consents.{}_{value}", choice_group(label_key)))
            ),
            Kind::Date if value.is_empty() => tr.t("intake.date_hint"),
            _ => value.to_owned(),
        };
        if focused && !matches!(kind, Kind::Choice(_)) {
            cursor = Some((
                lines.len(),
                width(marker) + width(&label) + editor.values[i].cursor_cells(),
            ));
        }
        let style = if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::from(vec![
            Span::raw(format!("{marker}{label}")),
            Span::styled(if shown.is_empty() { " ".into() } else { shown }, style),
        ]));
    }
    if let Some(p) = &editor.problem {
        lines.push(Line::raw(format!("  ✗ {}", p.text(tr))));
    }
    lines.push(Line::styled(
        tr.t("marks.keys"),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
    if let Some((row, column)) = cursor
        && (row as u16) < inner.height
        && (column as u16) < inner.width
    {
        frame.set_cursor_position(Position::new(inner.x + column as u16, inner.y + row as u16));
    }
}

/// The catalog group of a choice part's values (`consents.state_given`).
fn choice_group(label_key: &str) -> &'static str {
    match label_key {
        "consents.document" => "document",
        "consents.state" => "state",
        _ => "form",
    }
}

/// The consent forms of the case, pre-filled from the records (blanks where none yet), in the
/// language of the papers.
pub fn forms_text(
    case: &super::intake::Case,
    evaluation: &Evaluation,
    set: &crate::rules::RuleSet,
    center: Option<&crate::center::CenterProfile>,
    training: bool,
    tr: &Tr,
) -> String {
    use super::intake::fields::{FieldId as F, choice_key};
    use crate::print::consent_form::{Applicant, Giver, render};
    let get = |id: F| case.get(id).trim().to_owned();
    let city = get(F::City);
    let city = (!city.is_empty() && city != "other").then(|| tr.t(&choice_key(&city)));
    let address: Vec<String> = city
        .into_iter()
        .chain(
            [
                F::Region,
                F::District,
                F::Settlement,
                F::Street,
                F::House,
                F::Building,
                F::Apartment,
            ]
            .into_iter()
            .map(get),
        )
        .filter(|p| !p.is_empty())
        .collect();
    let name = |parts: [&str; 3]| {
        parts
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let applicant = Applicant {
        name: name([
            case.get(F::Surname),
            case.get(F::GivenName),
            case.get(F::Patronymic),
        ]),
        iin: get(F::Iin),
        birth_date: get(F::BirthDate),
        registration: evaluation
            .registration
            .clone()
            .unwrap_or_else(|| get(F::Service)),
        months: case.get(F::PeriodMonths).parse().ok(),
        address: address.join(", "),
    };
    let givers: Vec<Giver> = required(evaluation)
        .into_iter()
        .map(|r| {
            let (name, iin) = match case.consents.get(&r.key) {
                Some(c) => (
                    name([
                        c.surname.as_str(),
                        c.given_name.as_str(),
                        c.patronymic.as_str(),
                    ]),
                    c.iin.clone(),
                ),
                // The applicant's own consent is known before its record is made.
                None if r.party == "applicant" => (applicant.name.clone(), applicant.iin.clone()),
                None => (String::new(), String::new()),
            };
            Giver {
                consent: r.consent.clone(),
                party: r.party.clone(),
                name,
                iin,
            }
        })
        .collect();
    render(&applicant, &givers, set, center, training, tr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    fn filled(editor: &mut ConsentEditor) {
        for (part, text) in [(0, "Ахметова"), (1, "Гүлнұр"), (3, "900228404562")] {
            editor.focus = part;
            editor.type_text(text);
        }
        editor.focus = 5;
        editor.edit(Edit::Right); // given
    }

    #[test]
    fn a_given_consent_needs_a_valid_person_and_keeps_its_history() {
        let mut e = ConsentEditor::new("owner_consent#1", "owner", None, today());
        e.focus = 5;
        e.edit(Edit::Right);
        assert!(e.finish(today(), "оператор", &[]).is_none(), "no name yet");
        let mut e = ConsentEditor::new("owner_consent#1", "owner", None, today());
        filled(&mut e);
        let record = e.finish(today(), "оператор", &[]).unwrap();
        assert_eq!(record.state, "given");
        assert_eq!(record.history.len(), 1);
        assert_eq!(record.recorded_by, "оператор");
    }

    #[test]
    fn the_same_person_cannot_consent_twice() {
        let mut e = ConsentEditor::new("co_owner_consent#1", "co_owners", None, today());
        filled(&mut e);
        assert!(e.finish(today(), "op", &["900228404562".into()]).is_none());
        assert_eq!(
            e.problem.as_ref().map(|m| m.key),
            Some("consents.error.same_person")
        );
    }

    #[test]
    fn revocation_needs_a_reason_and_is_recognised() {
        let mut e = ConsentEditor::new("owner_consent#1", "owner", None, today());
        filled(&mut e);
        let given = e.finish(today(), "op", &[]).unwrap();
        let mut e = ConsentEditor::new("owner_consent#1", "owner", Some(&given), today());
        e.focus = 5;
        e.edit(Edit::Right); // refused
        e.edit(Edit::Right); // revoked
        assert!(e.finish(today(), "op", &[]).is_none());
        assert_eq!(
            e.problem.as_ref().map(|m| m.key),
            Some("consents.error.reason")
        );
        e.focus = 9;
        e.type_text("собственник передумал");
        let revoked = e.finish(today(), "op", &[]).unwrap();
        assert!(e.revokes(&revoked));
        assert_eq!(revoked.history.len(), 2, "given, then revoked");
    }

    #[test]
    fn an_eds_consent_needs_its_reference() {
        let mut e = ConsentEditor::new("owner_consent#1", "owner", None, today());
        filled(&mut e);
        e.focus = 6;
        e.edit(Edit::Right);
        e.edit(Edit::Right); // eds
        assert!(e.finish(today(), "op", &[]).is_none());
        assert_eq!(
            e.problem.as_ref().map(|m| m.key),
            Some("consents.error.reference")
        );
    }
}
