//! The consent screen (F4): one record per consent the rules require for the case, each a
//! separate person (the owner, each co-owner, the tenant of record, the owner's legal
//! representative, the personal-data consent of the applicant or their representative), with
//! the person's name and IIN, the identity document seen, the state (pending, given, refused,
//! revoked), how it was given, when and by whom, and its history. Records belong to the case,
//! so a draft keeps them.

pub use crate::case::consents::{
    Change, ConsentRecord, DOCUMENTS, FORMS, Required, STATES, is_dwelling_consent, lines,
    recorded_state, required,
};

mod editor;
mod forms;
mod keys;
mod view;

pub use editor::ConsentEditor;
pub use forms::forms_paper;
pub use view::draw;

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

#[cfg(test)]
mod tests;
