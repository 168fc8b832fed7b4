//! Submitting, as [`AppState`] methods: F8 submits or shows the gate, Enter on the gate goes
//! to what is missing, and the number just given starts the next person.

use super::{Gap, GateState};
use crate::ui::checklist;
use crate::ui::consents;
use crate::ui::{AppState, Command, Outcome, Overlay, Screen};

impl AppState {
    /// F8: the application goes to the store, or the gate says what is still missing.
    pub(crate) fn submit(&mut self) -> Outcome {
        let gaps = super::gaps(&self.case, self.evaluation(), &self.intake, self.today);
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
        if self.submitted().is_some() {
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
                let first = self
                    .intake
                    .visible(&self.case)
                    .into_iter()
                    .find(|id| !self.case.has(*id));
                if let Some(id) = first {
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
}
