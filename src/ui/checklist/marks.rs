//! What the operator noted for each document of the checklist: presented (which of the
//! accepted documents, its number, issue date and a note) or not available. Marks belong to
//! the case, so a draft keeps them; the editor is a small form over the checklist.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Block;

use crate::i18n::{Message, Tr};
use crate::rules::RuleSet;
use crate::text::width;
use crate::ui::form::FormEditor;
use crate::ui::intake::Edit;
use crate::ui::intake::case::parse_date;
use crate::ui::text_input::TextInput;

pub use crate::case::marks::{Mark, MarkState};

/// The parts of the editor, in order.
const PARTS: usize = 5;
const MAX_NUMBER: usize = 40;
const MAX_NOTE: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkEditor {
    /// The requirement being marked.
    pub id: String,
    pub alternatives: Vec<String>,
    /// 0 state, 1 document, 2 number, 3 issue date, 4 note.
    pub focus: usize,
    pub state: MarkState,
    pub document: usize,
    pub number: TextInput,
    pub issued: TextInput,
    pub note: TextInput,
    pub problem: Option<Message>,
}

impl MarkEditor {
    pub fn new(id: &str, alternatives: Vec<String>, mark: Option<&Mark>) -> MarkEditor {
        let document = mark
            .and_then(|m| alternatives.iter().position(|a| *a == m.document))
            .unwrap_or(0);
        MarkEditor {
            id: id.to_owned(),
            alternatives,
            focus: 0,
            state: mark.map_or(MarkState::Presented, |m| m.state),
            document,
            number: TextInput::new(mark.map_or("", |m| &m.number)),
            issued: TextInput::new(mark.map_or("", |m| &m.issued)),
            note: TextInput::new(mark.map_or("", |m| &m.note)),
            problem: None,
        }
    }

    /// The parts shown: a document not available has nothing more to note but a note.
    fn parts(&self) -> Vec<usize> {
        match self.state {
            MarkState::Presented => (0..PARTS).collect(),
            MarkState::NotAvailable => vec![0, 4],
        }
    }

    fn text(&mut self) -> Option<&mut TextInput> {
        match self.focus {
            2 => Some(&mut self.number),
            3 => Some(&mut self.issued),
            4 => Some(&mut self.note),
            _ => None,
        }
    }

    /// The mark to save, or the problem that stops it. `born`: the holder's birth date, where
    /// the desk knows it (the applicant's own documents): nothing is issued before it.
    pub fn finish(&mut self, today: NaiveDate, born: Option<NaiveDate>) -> Option<Mark> {
        let issued = self.issued.value().to_owned();
        let bad_text = [self.number.value(), self.note.value()]
            .iter()
            .any(|v| v.chars().any(char::is_control));
        let presented = self.state == MarkState::Presented;
        let issued_on = parse_date(&issued);
        self.problem = if bad_text {
            Some(Message::new("intake.error.control").arg("code", "?"))
        } else if !issued.is_empty() && issued_on.is_none_or(|d| d > today) {
            Some(Message::new("marks.error.issued"))
        } else if let (Some(on), Some(born)) = (issued_on, born)
            && on < born
        {
            Some(Message::new("marks.error.before_birth"))
        } else if presented && self.number.value().trim().is_empty() {
            // A document seen has a number; a blank one only with "not available".
            Some(Message::new("marks.error.number"))
        } else {
            None
        };
        if self.problem.is_some() {
            return None;
        }
        Some(Mark {
            state: self.state,
            document: if presented {
                self.alternatives
                    .get(self.document)
                    .cloned()
                    .unwrap_or_default()
            } else {
                String::new()
            },
            number: if presented {
                self.number.value().trim().to_owned()
            } else {
                String::new()
            },
            issued: if presented { issued } else { String::new() },
            note: self.note.value().trim().to_owned(),
        })
    }
}

impl FormEditor for MarkEditor {
    fn next(&mut self, forward: bool) {
        let parts = self.parts();
        let at = parts.iter().position(|p| *p == self.focus).unwrap_or(0);
        let to = if forward {
            (at + 1).min(parts.len() - 1)
        } else {
            at.saturating_sub(1)
        };
        self.focus = parts[to];
    }
    fn edit(&mut self, edit: Edit) {
        self.problem = None;
        match self.focus {
            0 => {
                if matches!(edit, Edit::Left | Edit::Right) {
                    self.state = match self.state {
                        MarkState::Presented => MarkState::NotAvailable,
                        MarkState::NotAvailable => MarkState::Presented,
                    };
                }
            }
            1 => {
                let n = self.alternatives.len().max(1);
                match edit {
                    Edit::Right => self.document = (self.document + 1) % n,
                    Edit::Left => self.document = (self.document + n - 1) % n,
                    _ => {}
                }
            }
            _ => {
                let date = self.focus == 3;
                let Some(t) = self.text() else { return };
                match edit {
                    Edit::Left => t.left(),
                    Edit::Right => t.right(),
                    Edit::Home => t.home(),
                    Edit::End => t.end(),
                    Edit::WordLeft => t.word_left(),
                    Edit::WordRight => t.word_right(),
                    Edit::Backspace => {
                        t.backspace();
                        if date && t.value().ends_with('.') {
                            t.backspace();
                        }
                    }
                    Edit::Delete => {
                        t.delete();
                    }
                }
            }
        }
    }
    /// Text typed into the focused part; digits only, with the dots added, for the date.
    fn type_text(&mut self, text: &str) {
        self.problem = None;
        let focus = self.focus;
        let limit = match focus {
            2 => MAX_NUMBER,
            3 => 10,
            _ => MAX_NOTE,
        };
        let mut refused = None;
        let Some(t) = self.text() else { return };
        for c in text.chars() {
            if focus == 3 && !c.is_ascii_digit() {
                if c != '.' {
                    refused = Some(Message::new("intake.error.digits"));
                }
                continue;
            }
            if t.len() >= limit {
                refused = Some(Message::new("intake.error.too_long").arg("max", limit));
                break;
            }
            t.insert(&c.to_string());
            if focus == 3 && matches!(t.len(), 2 | 5) {
                t.insert(".");
            }
        }
        self.problem = refused;
    }
    /// Whether the focus is on the last field shown.
    fn on_last_field(&self) -> bool {
        self.parts().last() == Some(&self.focus)
    }
}

/// How a mark reads on its checklist line: "passport № 123, 01.02.2020".
pub fn describe(mark: &Mark, set: &RuleSet, tr: &Tr) -> String {
    let mut parts = Vec::new();
    if !mark.document.is_empty() {
        parts.push(
            set.vocabulary
                .documents
                .get(&mark.document)
                .map_or(mark.document.clone(), |t| t.get(tr.lang).to_owned()),
        );
    }
    if !mark.number.is_empty() {
        parts.push(format!("№ {}", mark.number));
    }
    if !mark.issued.is_empty() {
        parts.push(mark.issued.clone());
    }
    if !mark.note.is_empty() {
        parts.push(format!("«{}»", mark.note));
    }
    parts.join(", ")
}

pub fn draw(editor: &MarkEditor, set: &RuleSet, tr: &Tr, area: Rect, frame: &mut Frame) {
    let v = &set.vocabulary;
    let title = v
        .requirements
        .get(&editor.id)
        .map_or(editor.id.clone(), |t| t.get(tr.lang).to_owned());
    let popup = crate::ui::popup::below_top(area, 2, 10);
    let block = Block::bordered().title(Line::styled(
        crate::ui::widgets::title_in(&format!(" {title} "), popup.width),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    let inner = block.inner(popup);
    // A value that does not fit is cut with "…" (the one being typed is shown whole).
    let keys = [
        "marks.state",
        "marks.document",
        "marks.number",
        "marks.issued",
        "marks.note",
    ];
    let column =
        crate::ui::widgets::label_column(keys.iter().map(|k| tr.t(k)), usize::from(inner.width));
    let label = |key: &str| crate::ui::widgets::cell(&tr.t(key), column);
    let state = match editor.state {
        MarkState::Presented => tr.t("marks.presented"),
        MarkState::NotAvailable => tr.t("marks.not_available"),
    };
    let document = editor
        .alternatives
        .get(editor.document)
        .and_then(|d| v.documents.get(d))
        .map_or(String::new(), |t| t.get(tr.lang).to_owned());
    let issued_shown = if editor.issued.is_empty() && editor.focus != 3 {
        tr.t("intake.date_hint")
    } else {
        editor.issued.value().to_owned()
    };
    let all = [
        (0, label("marks.state"), format!("‹ {state} ›")),
        (1, label("marks.document"), format!("‹ {document} ›")),
        (2, label("marks.number"), editor.number.value().to_owned()),
        (3, label("marks.issued"), issued_shown),
        (4, label("marks.note"), editor.note.value().to_owned()),
    ];
    let mut lines = Vec::new();
    let mut cursor = None;
    let mut focus_row = 0usize;
    for (part, label, value) in all
        .into_iter()
        .filter(|(p, _, _)| editor.parts().contains(p))
    {
        let focused = part == editor.focus;
        if focused {
            focus_row = lines.len();
        }
        let marker = if focused { "▸ " } else { "  " };
        if focused && part >= 2 {
            let input = match part {
                2 => &editor.number,
                3 => &editor.issued,
                _ => &editor.note,
            };
            cursor = Some((
                lines.len(),
                width(marker) + width(&label) + input.cursor_cells(),
            ));
        }
        let style = crate::ui::widgets::focus_style(focused);
        let room = usize::from(inner.width).saturating_sub(width(marker) + width(&label));
        let value = if focused && part >= 2 {
            value
        } else {
            crate::text::truncate_right(&value, room)
        };
        lines.push(Line::from(vec![
            ratatui::text::Span::raw(format!("{marker}{label}")),
            ratatui::text::Span::styled(if value.is_empty() { " ".into() } else { value }, style),
        ]));
    }
    let columns = usize::from(inner.width);
    if let Some(problem) = &editor.problem {
        let line = Line::raw(format!("  ✗ {}", problem.text(tr)));
        lines.extend(crate::ui::widgets::hanging(vec![line], columns));
    }
    let keys = Line::styled(
        tr.t("marks.keys"),
        Style::new().add_modifier(Modifier::BOLD),
    );
    lines.extend(crate::ui::widgets::hanging(vec![keys], columns));
    crate::ui::widgets::draw_form(frame, popup, block, lines, focus_row, cursor);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    #[test]
    fn a_presented_document_keeps_which_one_its_number_and_date() {
        let mut e = MarkEditor::new(
            "applicant_identity",
            vec!["id_card".into(), "passport".into()],
            None,
        );
        e.next(true);
        e.edit(Edit::Right);
        e.next(true);
        e.type_text("N 0123456");
        e.next(true);
        e.type_text("01022020");
        let mark = e.finish(today(), None).unwrap();
        assert_eq!(mark.document, "passport");
        assert_eq!(mark.number, "N 0123456");
        assert_eq!(mark.issued, "01.02.2020");
        assert_eq!(mark.state, MarkState::Presented);
    }

    #[test]
    fn a_bad_issue_date_stops_the_save_with_a_message() {
        let mut e = MarkEditor::new("applicant_identity", vec!["id_card".into()], None);
        e.focus = 3;
        e.type_text("31022020");
        assert!(e.finish(today(), None).is_none());
        assert_eq!(
            e.problem.as_ref().map(|m| m.key),
            Some("marks.error.issued")
        );
        e.focus = 3;
        for _ in 0..10 {
            e.edit(Edit::Backspace);
        }
        e.type_text("01.01.2030");
        assert!(e.finish(today(), None).is_none(), "issued in the future");
    }

    /// A document seen has a number, and was not issued before its holder was born.
    #[test]
    fn a_blank_number_or_a_date_before_the_birth_stops_the_save() {
        let born = NaiveDate::from_ymd_opt(1985, 7, 14);
        let mut e = MarkEditor::new("applicant_identity", vec!["id_card".into()], None);
        assert!(e.finish(today(), born).is_none());
        assert_eq!(
            e.problem.as_ref().map(|m| m.key),
            Some("marks.error.number")
        );
        e.focus = 2;
        e.type_text("045123789");
        e.focus = 3;
        e.type_text("01011980");
        assert!(e.finish(today(), born).is_none());
        assert_eq!(
            e.problem.as_ref().map(|m| m.key),
            Some("marks.error.before_birth")
        );
        // The owner's document: the desk does not know the owner's birth date.
        assert!(e.finish(today(), None).is_some());
        for _ in 0..10 {
            e.edit(Edit::Backspace);
        }
        e.type_text("01022020");
        assert!(e.finish(today(), born).is_some());
    }

    #[test]
    fn not_available_asks_only_for_a_note() {
        let mut e = MarkEditor::new(
            "deregistration_proof",
            vec!["deregistration_document".into()],
            None,
        );
        e.edit(Edit::Right);
        assert_eq!(e.state, MarkState::NotAvailable);
        e.next(true);
        assert_eq!(e.focus, 4);
        e.type_text("запрошен в консульстве");
        let mark = e.finish(today(), None).unwrap();
        assert_eq!(mark.document, "");
        assert_eq!(mark.note, "запрошен в консульстве");
    }

    #[test]
    fn a_mark_round_trips_through_json() {
        let mark = Mark {
            state: MarkState::Presented,
            document: "passport".into(),
            number: "1".into(),
            issued: "01.02.2020".into(),
            note: String::new(),
        };
        let json = serde_json::to_string(&mark).unwrap();
        assert_eq!(serde_json::from_str::<Mark>(&json).unwrap(), mark);
    }
}
