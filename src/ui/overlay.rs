//! What is drawn over the screens: one optional overlay. Help and the lock screen pass: they
//! cover whatever was open (the drafts offered, the gate, the number just given) and give it
//! back when they close, so F1 or an idle lock never loses what the operator was looking at.

use super::AppState;
use super::drafts::DraftsState;
use super::sign_in::{Mode, SignInState};
use super::submit::GateState;

/// The overlay a passing one covers.
pub type Covered = Option<Box<Overlay>>;

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    /// Signing in, or the lock screen: then nothing else is drawn.
    SignIn(SignInState, Covered),
    Help(HelpState, Covered),
    /// The open drafts offered after sign-in.
    Drafts(DraftsState),
    /// What keeps the case from being submitted.
    Gate(GateState),
    /// The number of the application just submitted.
    Submitted(String),
    /// The case just closed as "registration not required" (its id).
    Closed(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HelpState {
    pub scroll: u16,
}

impl Overlay {
    /// What this overlay covers (passing overlays only).
    fn covered(&self) -> Option<&Overlay> {
        match self {
            Overlay::SignIn(_, covered) | Overlay::Help(_, covered) => covered.as_deref(),
            _ => None,
        }
    }
}

impl AppState {
    /// Shows `overlay` in place of any other (the gate gives way to the number, for example).
    pub fn show(&mut self, overlay: Overlay) {
        self.overlay = Some(overlay);
    }

    /// Opens help over what is shown; Esc gives it back.
    pub(crate) fn open_help(&mut self) {
        let covered = self.overlay.take().map(Box::new);
        self.overlay = Some(Overlay::Help(HelpState::default(), covered));
    }

    /// Shows the lock screen over the work (not over help, which closes: it shows nothing of
    /// a person, and the unlocked desk should not open on it).
    pub(crate) fn show_lock(&mut self, mode: Mode) {
        let covered = match self.overlay.take() {
            Some(Overlay::Help(_, covered)) => covered,
            other => other.map(Box::new),
        };
        self.overlay = Some(Overlay::SignIn(SignInState::new(mode), covered));
    }

    /// Closes the overlay on top; a passing one gives back what it covered.
    pub fn close_overlay(&mut self) {
        self.overlay = match self.overlay.take() {
            Some(Overlay::SignIn(_, covered) | Overlay::Help(_, covered)) => covered.map(|c| *c),
            _ => None,
        };
    }

    /// The overlays from the bottom up, for drawing.
    pub fn overlays(&self) -> Vec<&Overlay> {
        let mut stack: Vec<&Overlay> =
            std::iter::successors(self.overlay.as_ref(), |o| o.covered()).collect();
        stack.reverse();
        stack
    }

    pub fn sign_in_form(&self) -> Option<&SignInState> {
        match &self.overlay {
            Some(Overlay::SignIn(form, _)) => Some(form),
            _ => None,
        }
    }

    pub(crate) fn sign_in_form_mut(&mut self) -> Option<&mut SignInState> {
        match &mut self.overlay {
            Some(Overlay::SignIn(form, _)) => Some(form),
            _ => None,
        }
    }

    pub fn help_shown(&self) -> Option<HelpState> {
        match &self.overlay {
            Some(Overlay::Help(help, _)) => Some(*help),
            _ => None,
        }
    }

    pub fn drafts_offered(&self) -> Option<&DraftsState> {
        match &self.overlay {
            Some(Overlay::Drafts(drafts)) => Some(drafts),
            _ => None,
        }
    }

    pub(crate) fn drafts_offered_mut(&mut self) -> Option<&mut DraftsState> {
        match &mut self.overlay {
            Some(Overlay::Drafts(drafts)) => Some(drafts),
            _ => None,
        }
    }

    pub fn gate(&self) -> Option<&GateState> {
        match &self.overlay {
            Some(Overlay::Gate(gate)) => Some(gate),
            _ => None,
        }
    }

    /// The case just closed as not required, while it is shown.
    pub fn closed(&self) -> Option<i64> {
        match &self.overlay {
            Some(Overlay::Closed(id)) => Some(*id),
            _ => None,
        }
    }

    /// The case is done (submitted, or closed as not required): what is shown is the next
    /// step, the keys are the same.
    pub fn done(&self) -> bool {
        self.submitted().is_some() || self.closed().is_some()
    }

    /// The number just given, while it is shown.
    pub fn submitted(&self) -> Option<&str> {
        match &self.overlay {
            Some(Overlay::Submitted(number)) => Some(number),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate() -> Overlay {
        Overlay::Gate(GateState {
            gaps: Vec::new(),
            selected: 0,
        })
    }

    #[test]
    fn help_and_the_lock_give_back_what_they_covered() {
        let mut s = crate::ui::fixtures::state(crate::i18n::Lang::En);
        s.show(gate());
        s.open_help();
        assert!(s.help_shown().is_some());
        assert_eq!(s.overlays().len(), 2);
        // Locking closes help and covers the gate; unlocking gives the gate back.
        s.show_lock(Mode::SignIn);
        assert!(s.sign_in_form().is_some());
        assert_eq!(s.overlays().len(), 2);
        s.close_overlay();
        assert_eq!(s.overlay, Some(gate()));
        s.close_overlay();
        assert_eq!(s.overlay, None);
    }
}
