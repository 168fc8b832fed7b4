//! How the consent screen and its editor are drawn.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use crate::case::consents::{ConsentRecord, lines};
use crate::core::Iin;
use crate::i18n::Tr;
use crate::rules::{Evaluation, RuleSet};
use crate::text::width;

use super::ConsentsState;
use super::editor::{ConsentEditor, Kind, PARTS};

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
    crate::ui::widgets::titled_text(lines, &tr.t("screen.consent.title"), area, frame);
    if let Some(editor) = &state.editor {
        draw_editor(editor, tr, area, frame);
    }
}

fn draw_editor(editor: &ConsentEditor, tr: &Tr, area: Rect, frame: &mut Frame) {
    let popup = crate::ui::popup::below_top(area, 1, PARTS.len() as u16 + 4);
    let block = Block::bordered().title(Line::styled(
        crate::ui::widgets::title_in(&format!(" {} ", tr.t("consents.editor")), popup.width),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    let inner = block.inner(popup);
    let mut lines = Vec::new();
    let mut cursor = None;
    let mut focus_row = 0usize;
    let column = crate::ui::widgets::label_column(
        PARTS.iter().map(|(key, _)| tr.t(key)),
        usize::from(inner.width),
    );
    for (i, (label_key, kind)) in PARTS.iter().enumerate() {
        let focused = i == editor.focus;
        if focused {
            focus_row = lines.len();
        }
        let marker = if focused { "▸ " } else { "  " };
        let label = crate::ui::widgets::cell(&tr.t(label_key), column);
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
        let style = crate::ui::widgets::focus_style(focused);
        // A value that does not fit is cut with "…"; the one being typed is shown whole.
        let room = usize::from(inner.width).saturating_sub(width(marker) + width(&label));
        let shown = if focused && !matches!(kind, Kind::Choice(_)) {
            shown
        } else {
            crate::text::truncate_right(&shown, room)
        };
        lines.push(Line::from(vec![
            Span::raw(format!("{marker}{label}")),
            Span::styled(if shown.is_empty() { " ".into() } else { shown }, style),
        ]));
    }
    let columns = usize::from(inner.width);
    if let Some(p) = &editor.problem {
        let line = Line::raw(format!("  ✗ {}", p.text(tr)));
        lines.extend(crate::ui::widgets::hanging(vec![line], columns));
    }
    let keys = Line::styled(
        tr.t("marks.keys"),
        Style::new().add_modifier(Modifier::BOLD),
    );
    lines.extend(crate::ui::widgets::hanging(vec![keys], columns));
    crate::ui::widgets::draw_form(frame, popup, block, lines, focus_row, cursor);
}

/// The catalog group of a choice part's values (`consents.state_given`).
fn choice_group(label_key: &str) -> &'static str {
    match label_key {
        "consents.document" => "document",
        "consents.state" => "state",
        _ => "form",
    }
}
