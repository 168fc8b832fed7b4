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
                if let Some(field) = self.checklist.question(&evaluation) {
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
        let Some(editor) = self.checklist.editor.as_mut() else {
            return Outcome::unchanged();
        };
        match editor.finish(self.today) {
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
