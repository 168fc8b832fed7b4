//! The checklist's keys, as [`AppState`] methods: move, open a line, mark a document, and
//! save the mark being edited.

use crate::ui::keymap::Action;
use crate::ui::{AppState, Command, Outcome, Screen};

impl AppState {
    pub(crate) fn checklist_key(&mut self, action: Action) -> Outcome {
        let Some(evaluation) = self.evaluation().cloned() else {
            return Outcome::unchanged();
        };
        let changed = match action {
            Action::ListUp => self.checklist.up(),
            Action::ListDown => self.checklist.down(&evaluation),
            Action::Expand => {
                let question = self
                    .checklist
                    .question(&evaluation, |id| self.intake.shown(&self.case, id))
                    // Its own field waits for another answer first (shown only then).
                    .or_else(|| {
                        self.checklist
                            .on_pending(&evaluation)
                            .then(|| self.intake.first_question(&self.case))
                            .flatten()
                    });
                if let Some(field) = question {
                    // A pending line: go and ask its question.
                    self.screen = Screen::Intake;
                    self.intake.focus_on(&self.case, field);
                    self.notice = None;
                    true
                } else {
                    self.checklist.toggle(&evaluation)
                }
            }
            Action::Collapse => {
                let open = !self.checklist.expanded.is_empty();
                self.checklist.expanded.clear();
                open
            }
            Action::Mark if self.checklist.consent(&evaluation).is_some() => {
                // A consent is given by a person, on its record: no tick here that would
                // count nowhere. Space takes the operator to that record on F4.
                let consent = self.checklist.consent(&evaluation).unwrap_or_default();
                let lines = crate::ui::consents::lines(&evaluation, &self.case.consents);
                if let Some(i) = lines
                    .iter()
                    .position(|l| l.consent == consent && !self.case.consents.contains_key(&l.key))
                    .or_else(|| lines.iter().position(|l| l.consent == consent))
                {
                    self.consents.selected = i;
                }
                self.screen = Screen::Consent;
                self.show_notice(crate::i18n::Message::new("checklist.consent_on_f4"));
                true
            }
            Action::Mark => self.checklist.mark(&evaluation, &mut self.case),
            Action::ClearMark => self.checklist.clear_mark(&evaluation, &mut self.case),
            _ => false,
        };
        match (changed, action) {
            (true, Action::Mark | Action::ClearMark) if self.checklist.editor.is_none() => {
                Outcome {
                    redraw: true,
                    commands: vec![Command::SaveDraftNow],
                }
            }
            (true, _) => Outcome::redraw(),
            (false, _) => Outcome::unchanged(),
        }
    }

    /// Saves the mark being edited on the checklist.
    pub(crate) fn save_mark(&mut self) -> Outcome {
        let Some(id) = self.checklist.editor.as_ref().map(|e| e.id.clone()) else {
            return Outcome::unchanged();
        };
        // The applicant's own documents are not issued before they were born.
        let born = self
            .evaluation()
            .and_then(|e| e.documents.iter().find(|d| d.id == id))
            .filter(|d| d.party == "applicant")
            .and_then(|_| {
                crate::case::parse_date(self.case.get(crate::case::fields::FieldId::BirthDate))
            });
        let Some(editor) = self.checklist.editor.as_mut() else {
            return Outcome::unchanged();
        };
        match editor.finish(self.today, born) {
            Some(mark) => {
                let id = editor.id.clone();
                self.checklist.editor = None;
                self.case.marks.insert(id, mark);
                Outcome {
                    redraw: true,
                    commands: vec![Command::SaveDraftNow],
                }
            }
            None => Outcome::redraw(),
        }
    }
}
