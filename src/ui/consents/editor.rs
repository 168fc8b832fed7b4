//! The consent editor: one person's record (who, their IIN and document, the state, how and
//! when it was given, by whom), checked before it is saved.

use chrono::NaiveDate;

use crate::case::consents::{Change, ConsentRecord, DOCUMENTS, FORMS, STATES};
use crate::core::{Iin, PersonName};
use crate::i18n::Message;
use crate::ui::form::FormEditor;
use crate::ui::intake::Edit;
use crate::ui::intake::case::parse_date;
use crate::ui::text_input::TextInput;

/// The parts of the editor: label key, kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Name,
    Iin,
    Text(usize),
    Date,
    Choice(&'static [&'static str]),
}

pub(super) const PARTS: &[(&str, Kind)] = &[
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

impl FormEditor for ConsentEditor {
    fn next(&mut self, forward: bool) {
        self.focus = if forward {
            (self.focus + 1).min(PARTS.len() - 1)
        } else {
            self.focus.saturating_sub(1)
        };
    }
    fn edit(&mut self, edit: Edit) {
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
    fn type_text(&mut self, text: &str) {
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
    /// Whether the focus is on the last field.
    fn on_last_field(&self) -> bool {
        self.focus + 1 >= PARTS.len()
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
