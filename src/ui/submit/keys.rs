//! Submitting, as [`AppState`] methods: F8 submits or shows the gate, Enter on the gate goes
//! to what is missing, and the number just given starts the next person.

use super::{Gap, GateState};
use crate::rules::Verdict;
use crate::ui::checklist;
use crate::ui::consents;
use crate::ui::{AppState, Command, Outcome, Overlay, Screen};

impl AppState {
    /// F8: the application goes to the store, or the gate says what is still missing.
    pub(crate) fn submit(&mut self) -> Outcome {
        let gaps = super::gaps(&self.case, self.evaluation(), &self.intake, self.today);
        if gaps.is_empty()
            && let Some(e) = self.evaluation()
            && e.decision == Verdict::NotRequired
        {
            // Nothing to submit: the case is closed, kept and counted, with no number.
            let closing =
                crate::case::submission::closing(&self.case, e, self.draft_id.unwrap_or(0));
            return Outcome::command(Command::CloseCase(Box::new(closing)));
        }
        if gaps.is_empty()
            && let Some(e) = self.evaluation()
        {
            let submission = super::submission(&self.case, e, self.draft_id.unwrap_or(0));
            return Outcome::command(Command::Submit(Box::new(submission)));
        }
        self.show(Overlay::Gate(GateState { gaps, selected: 0 }));
        Outcome::redraw()
    }

    /// Up and Down on the gate.
    pub(crate) fn move_in_gate(&mut self, down: bool) -> Outcome {
        if let Some(Overlay::Gate(gate)) = self.overlay.as_mut() {
            gate.selected = if down {
                (gate.selected + 1).min(gate.gaps.len().saturating_sub(1))
            } else {
                gate.selected.saturating_sub(1)
            };
        }
        Outcome::redraw()
    }

    /// Enter on the gate goes to what is missing; on the submitted number, to the next person.
    pub(crate) fn overlay_enter(&mut self) -> Outcome {
        if self.done() {
            return self.next_person();
        }
        let Some(Overlay::Gate(gate)) = self.overlay.take() else {
            return Outcome::unchanged();
        };
        let Some(gap) = gate.gaps.get(gate.selected) else {
            return Outcome::redraw();
        };
        match gap {
            Gap::Decision => self.screen = Screen::Checklist,
            Gap::Field(id, _) => {
                self.screen = Screen::Intake;
                self.intake.reveal_all(&self.case);
                self.intake.focus_on(&self.case, *id);
            }
            Gap::Questions => {
                self.screen = Screen::Intake;
                self.intake.reveal_all(&self.case);
                if let Some(id) = self.intake.first_question(&self.case) {
                    self.intake.focus_on(&self.case, id);
                }
            }
            Gap::Document(id) => {
                self.screen = Screen::Checklist;
                if let Some(e) = self.evaluation() {
                    let rows = checklist::rows(e);
                    if let Some(i) = rows
                        .iter()
                        .position(|r| *r == checklist::Row::Document(id.clone()))
                    {
                        self.checklist.selected = i;
                    }
                }
            }
            Gap::Consent(key) => {
                self.screen = Screen::Consent;
                if let Some(e) = self.evaluation() {
                    let lines = consents::lines(e, &self.case.consents);
                    if let Some(i) = lines.iter().position(|l| &l.key == key) {
                        self.consents.selected = i;
                    }
                }
            }
        }
        Outcome::redraw()
    }

    /// After a submission: a new, empty case for the next person.
    pub(crate) fn next_person(&mut self) -> Outcome {
        self.overlay = None;
        self.load_case(crate::case::Case::default(), None);
        Outcome::command(Command::NewCase)
    }

    /// The note for the family of the case just closed as not required, in the language of
    /// the papers: the person, the parent or representative who applied, the address, why.
    pub(crate) fn print_note(&self) -> Outcome {
        use crate::case::fields::FieldId as F;
        use crate::print::note::{Note, Person, render};
        let (Some(id), Some(e)) = (self.closed(), self.evaluation()) else {
            return Outcome::unchanged();
        };
        let tr = crate::i18n::Tr::new(self.document_language());
        let get = |f: F| self.case.get(f).trim().to_owned();
        let name = |parts: [F; 3]| {
            parts
                .map(get)
                .into_iter()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let representative = (!matches!(self.case.get(F::ActsThrough), "" | "self")
            && self.case.has(F::RepresentativeName))
        .then(|| Person {
            name: get(F::RepresentativeName),
            iin: get(F::RepresentativeIin),
            birth_date: String::new(),
        });
        let note = Note {
            person: Person {
                name: name([F::Surname, F::GivenName, F::Patronymic]),
                iin: get(F::Iin),
                birth_date: get(F::BirthDate),
            },
            authority: representative.as_ref().map(|_| get(F::AuthorityDocument)),
            representative,
            address: crate::print::address::in_words(
                &crate::case::submission::address_of(&self.case),
                &tr,
            ),
            evaluation: e,
            operator: self.session.operator.as_deref(),
            date: self.today,
            training: self.session.training,
        };
        let paper = render(&note, &self.rules, self.center.as_deref(), &tr);
        Outcome::command(Command::PrintNote { id, paper })
    }
}
