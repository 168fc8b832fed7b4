//! The intake screen: the form in conversation order, one focused field, and the questions
//! the rules still need. The state here is only focus and editing; the values live in the
//! [`Case`], shared with the checklist.

mod keys;
pub mod view;

use std::collections::BTreeSet;

use chrono::NaiveDate;

pub use case::Case;
use fields::{FIELDS, FieldId, FieldKind, Shown, def};

use super::text_input::TextInput;
use crate::core::Iin;
use crate::i18n::{Message, Tr};

pub use crate::case;
pub use crate::case::fields;
pub use crate::ui::text_input::Edit;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntakeState {
    pub focus: FieldId,
    /// The focused field's text and cursor (text-like fields).
    pub editor: TextInput,
    /// Fields the operator has left at least once: their problems are shown.
    pub left: BTreeSet<FieldId>,
    /// A problem found while typing (too long, not a digit), shown until the next key.
    pub flash: Option<(FieldId, Message)>,
    /// Facts the rules still wait for (input facts), from the last evaluation.
    pub asked: BTreeSet<String>,
    /// Facts that contradict each other, shown on the field they were found on.
    pub contradictions: std::collections::BTreeMap<FieldId, Message>,
    /// The rules say no registration is needed (a child under 14): the registration type and
    /// the dwelling are no longer questions.
    pub not_required: bool,
}

impl Default for IntakeState {
    fn default() -> Self {
        IntakeState {
            focus: FieldId::Iin,
            editor: TextInput::default(),
            left: BTreeSet::new(),
            flash: None,
            asked: BTreeSet::new(),
            contradictions: std::collections::BTreeMap::new(),
            not_required: false,
        }
    }
}

/// What an intake key did, for the app state to follow up.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changed {
    pub redraw: bool,
    /// A value changed: evaluate again, save the draft soon.
    pub value: bool,
    /// Focus left a field: save the draft now.
    pub left_field: bool,
    /// A valid IIN was left: ask the database what it knows of this person.
    pub iin_to_look_up: Option<String>,
    /// The representative's valid IIN was left with their name still empty: ask the database
    /// for the name.
    pub representative_to_look_up: Option<String>,
}

/// The longest input a field takes, in characters.
fn max_chars(kind: FieldKind) -> usize {
    match kind {
        FieldKind::Text { max } | FieldKind::Digits { max } => max,
        FieldKind::Name => 60,
        FieldKind::Iin => 12,
        FieldKind::Date => 10,
        FieldKind::Number { .. } => 6,
        FieldKind::Measure { .. } => 10,
        FieldKind::Choice(_) | FieldKind::YesNo => 0,
    }
}

fn is_text_like(kind: FieldKind) -> bool {
    !matches!(kind, FieldKind::Choice(_) | FieldKind::YesNo)
}

/// Temporary registration needs its period: in months, or as an end date.
fn period_missing(case: &Case) -> bool {
    case.get(FieldId::Service) == "temporary"
        && !case.has(FieldId::PeriodMonths)
        && !case.has(FieldId::PeriodEnd)
}

/// The codes a choice or yes/no field cycles through.
pub fn options(kind: FieldKind) -> &'static [&'static str] {
    match kind {
        FieldKind::Choice(codes) => codes,
        FieldKind::YesNo => &["yes", "no"],
        _ => &[],
    }
}

impl IntakeState {
    /// Whether `id` is on the form for this case.
    pub fn shown(&self, case: &Case, id: FieldId) -> bool {
        let def = def(id);
        match def.shown {
            Shown::Always => true,
            Shown::WhenRepresented => case.represented(),
            Shown::WhenTemporary => case.get(FieldId::Service) == "temporary",
            Shown::WhenAsked => {
                let asked = def.fact.is_some_and(|f| self.asked.contains(f));
                // Some questions only make sense in one situation, whatever a rule waits for.
                let fits = match id {
                    FieldId::RepresentativeRelation => case.represented(),
                    FieldId::StayDays => case.get(FieldId::Service) == "temporary",
                    _ => true,
                };
                fits && (case.has(id) || asked)
            }
        }
    }

    pub fn visible(&self, case: &Case) -> Vec<FieldId> {
        FIELDS
            .iter()
            .map(|f| f.id)
            .filter(|id| self.shown(case, *id))
            .collect()
    }

    /// Whether an empty `id` is a question for this case: a required field, except the
    /// registration type and the dwelling of a case that needs no registration.
    pub(crate) fn required(&self, id: FieldId) -> bool {
        let def = def(id);
        def.required
            && !(self.not_required
                && matches!(
                    def.section,
                    fields::Section::Registration | fields::Section::Dwelling
                ))
    }

    /// The first question the rules still wait for (a pending fact's field without an
    /// answer), else the first required field left empty: never an optional field.
    pub fn first_question(&self, case: &Case) -> Option<FieldId> {
        let visible = self.visible(case);
        let open = |id: &&FieldId| !case.has(**id);
        visible
            .iter()
            .filter(open)
            .find(|id| def(**id).fact.is_some_and(|f| self.asked.contains(f)))
            .or_else(|| visible.iter().filter(open).find(|id| self.required(**id)))
            .copied()
    }

    /// Questions still open: required fields and the fields of the facts the rules wait for
    /// (the checklist's pending lines), without an answer. A field the rules ask for counts
    /// even when the form shows it as optional.
    pub fn questions_left(&self, case: &Case) -> usize {
        let open = self
            .visible(case)
            .into_iter()
            .filter(|id| {
                let def = def(*id);
                let asked = def.fact.is_some_and(|f| self.asked.contains(f));
                (self.required(*id) || asked) && !case.has(*id)
            })
            .count();
        open + usize::from(period_missing(case))
    }

    /// The problem shown under `id`: a typing problem now, or the value's problem once the
    /// field was left (or `all` is asked, before the case moves on).
    pub fn message(&self, case: &Case, id: FieldId, today: NaiveDate) -> Option<Message> {
        if let Some((field, message)) = &self.flash
            && *field == id
        {
            return Some(message.clone());
        }
        if !self.left.contains(&id) {
            return None;
        }
        if id == FieldId::PeriodMonths && period_missing(case) {
            return Some(Message::new("intake.error.period_needed"));
        }
        case.problem(id, today)
            .or_else(|| self.contradictions.get(&id).cloned())
    }

    /// Moves focus to `id`, loading its text into the editor.
    pub fn focus_on(&mut self, case: &Case, id: FieldId) {
        self.focus = id;
        self.editor = TextInput::new(case.get(id));
    }

    /// Keeps focus on a field that is shown: one that disappeared passes focus to the next
    /// shown field after it (or the last one).
    pub fn keep_focus_visible(&mut self, case: &Case) {
        if self.shown(case, self.focus) {
            return;
        }
        let visible = self.visible(case);
        let next = visible
            .iter()
            .copied()
            .find(|id| *id > self.focus)
            .or(visible.last().copied())
            .unwrap_or(FieldId::Iin);
        self.focus_on(case, next);
    }

    fn move_focus(&mut self, case: &mut Case, forward: bool, today: NaiveDate) -> Changed {
        let visible = self.visible(case);
        let at = visible.iter().position(|id| *id == self.focus).unwrap_or(0);
        let target = if forward {
            visible.get(at + 1)
        } else {
            at.checked_sub(1).and_then(|i| visible.get(i))
        };
        let Some(&target) = target else {
            return Changed::default();
        };
        let leaving = self.focus;
        let iin_to_look_up = self.leave(case, today);
        let representative_to_look_up = (leaving == FieldId::RepresentativeIin
            && !case.has(FieldId::RepresentativeName))
        .then(|| Iin::parse(case.get(FieldId::RepresentativeIin)).ok())
        .flatten()
        .map(|iin| iin.as_string());
        self.focus_on(case, target);
        Changed {
            redraw: true,
            value: false,
            left_field: true,
            iin_to_look_up,
            representative_to_look_up,
        }
    }

    /// Leaving the focused field: its problem is shown from now on, and a valid IIN proposes
    /// the birth date and sex it encodes where they are still empty.
    /// Returns the IIN to look up when a valid one was left.
    fn leave(&mut self, case: &mut Case, today: NaiveDate) -> Option<String> {
        self.left.insert(self.focus);
        self.flash = None;
        if self.focus != FieldId::Iin {
            return None;
        }
        let iin = Iin::parse(case.get(FieldId::Iin)).ok()?;
        if !case.has(FieldId::BirthDate) && iin.birth_date() <= today {
            case.set(
                FieldId::BirthDate,
                iin.birth_date().format("%d.%m.%Y").to_string(),
            );
        }
        if !case.has(FieldId::Sex) {
            case.set(FieldId::Sex, iin.sex().code());
        }
        Some(iin.as_string())
    }

    pub fn next_field(&mut self, case: &mut Case, today: NaiveDate) -> Changed {
        self.move_focus(case, true, today)
    }

    pub fn previous_field(&mut self, case: &mut Case, today: NaiveDate) -> Changed {
        self.move_focus(case, false, today)
    }

    /// Shows every field's problem: before the case moves on to the checklist.
    pub fn reveal_all(&mut self, case: &Case) {
        self.left.extend(self.visible(case));
    }

    fn store_editor(&mut self, case: &mut Case) -> Changed {
        case.set(self.focus, self.editor.value());
        Changed {
            redraw: true,
            value: true,
            ..Changed::default()
        }
    }

    pub fn edit(&mut self, case: &mut Case, edit: Edit, today: NaiveDate) -> Changed {
        self.flash = None;
        let kind = def(self.focus).kind;
        if !is_text_like(kind) {
            return self.edit_choice(case, edit, today);
        }
        let e = &mut self.editor;
        match edit {
            Edit::Left => e.left(),
            Edit::Right => e.right(),
            Edit::Home => e.home(),
            Edit::End => e.end(),
            Edit::WordLeft => e.word_left(),
            Edit::WordRight => e.word_right(),
            Edit::Backspace if e.is_empty() => return self.previous_field(case, today),
            Edit::Backspace => {
                e.backspace();
                // A date's dot goes with the digit before it.
                if kind == FieldKind::Date && e.value().ends_with('.') && e.cursor() == e.len() {
                    e.backspace();
                }
                return self.store_editor(case);
            }
            Edit::Delete => {
                if e.delete() {
                    return self.store_editor(case);
                }
            }
        }
        Changed {
            redraw: true,
            ..Changed::default()
        }
    }

    fn edit_choice(&mut self, case: &mut Case, edit: Edit, today: NaiveDate) -> Changed {
        let codes = options(def(self.focus).kind);
        let current = codes.iter().position(|c| *c == case.get(self.focus));
        let next = match (edit, current) {
            (Edit::Right, None) => Some(0),
            (Edit::Right, Some(i)) => Some((i + 1) % codes.len()),
            (Edit::Left, None) => Some(codes.len() - 1),
            (Edit::Left, Some(i)) => Some((i + codes.len() - 1) % codes.len()),
            (Edit::Home, _) => Some(0),
            (Edit::End, _) => Some(codes.len() - 1),
            (Edit::Backspace | Edit::Delete, Some(_)) => None,
            (Edit::Backspace, None) => return self.previous_field(case, today),
            _ => return Changed::default(),
        };
        case.set(self.focus, next.map_or("", |i| codes[i]));
        Changed {
            redraw: true,
            value: true,
            ..Changed::default()
        }
    }

    /// A character typed: text for text fields (digits only where only digits belong, the
    /// dots of a date added), the first letter of an option in the operator's language for
    /// choice fields.
    pub fn type_text(&mut self, case: &mut Case, text: &str, tr: &Tr) -> Changed {
        self.flash = None;
        let def = def(self.focus);
        if !is_text_like(def.kind) {
            return self.choose_by_letter(case, text, tr);
        }
        let digits_only = matches!(
            def.kind,
            FieldKind::Iin | FieldKind::Date | FieldKind::Number { .. } | FieldKind::Digits { .. }
        );
        let mut accepted = String::new();
        for c in text.chars() {
            if def.kind == FieldKind::Date && c == '.' {
                continue;
            }
            if digits_only && !c.is_ascii_digit() {
                self.flash = Some((self.focus, Message::new("intake.error.digits")));
                continue;
            }
            accepted.push(c);
        }
        let max = max_chars(def.kind);
        for c in accepted.chars() {
            if self.editor.len() >= max {
                self.flash = Some((
                    self.focus,
                    Message::new("intake.error.too_long").arg("max", max),
                ));
                break;
            }
            self.editor.insert(&c.to_string());
            if def.kind == FieldKind::Date
                && matches!(self.editor.len(), 2 | 5)
                && self.editor.cursor() == self.editor.len()
            {
                self.editor.insert(".");
            }
        }
        let mut changed = self.store_editor(case);
        changed.value = !accepted.is_empty();
        changed
    }

    fn choose_by_letter(&mut self, case: &mut Case, text: &str, tr: &Tr) -> Changed {
        let Some(letter) = text.chars().next().and_then(|c| c.to_lowercase().next()) else {
            return Changed::default();
        };
        let codes = options(def(self.focus).kind);
        let current = codes.iter().position(|c| *c == case.get(self.focus));
        let start = current.map_or(0, |i| i + 1);
        let found = (0..codes.len())
            .map(|k| codes[(start + k) % codes.len()])
            .find(|code| {
                tr.t(&fields::choice_key(code))
                    .chars()
                    .next()
                    .and_then(|c| c.to_lowercase().next())
                    == Some(letter)
            });
        match found {
            Some(code) => {
                case.set(self.focus, code);
                Changed {
                    redraw: true,
                    value: true,
                    ..Changed::default()
                }
            }
            None => {
                self.flash = Some((self.focus, Message::new("intake.error.no_option")));
                Changed {
                    redraw: true,
                    ..Changed::default()
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
