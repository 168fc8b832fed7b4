//! Who is at the desk: signing in and out, the lock, and what the role allows, as
//! [`AppState`] methods. The role is asked of the core (`Role::allows`); what the desk hides
//! is a convenience, the check is here and in the store.

use super::{Mode, SignInState};
use crate::core::Permission;
use crate::i18n::Message;
use crate::ui::keymap::Action;
use crate::ui::{AppState, Command, Outcome, Overlay};

impl AppState {
    /// Whether the signed-in operator may do `what` (anyone, where nobody signs in).
    pub fn may(&self, what: Permission) -> bool {
        self.operator
            .as_ref()
            .is_none_or(|(_, role)| role.allows(what, self.session.training))
    }

    /// `None` when the role allows `what`; else the refusal, said and audited.
    pub(crate) fn refused(&mut self, what: Permission) -> Option<Outcome> {
        if self.may(what) {
            return None;
        }
        let role = self
            .operator
            .as_ref()
            .map(|(_, r)| r.message_key())
            .unwrap_or("role.operator");
        self.show_notice(Message::new("roles.refused").arg_key("role", role));
        Some(Outcome::command(Command::Refused(what.code())))
    }

    /// The keys of the sign-in and lock screens other than the form's own (see `form`).
    pub(crate) fn sign_in_action(&mut self, action: Action) -> Outcome {
        let Some(form) = self.sign_in_form() else {
            return Outcome::unchanged();
        };
        match action {
            // On the lock screen: sign out (another operator takes the desk).
            Action::CloseOverlay if matches!(form.mode, Mode::Locked { .. }) => self.sign_out(),
            Action::Quit => Outcome::command(Command::Quit),
            Action::SwitchLanguage => {
                self.lang = self.lang.next();
                Outcome::command(Command::LanguageChanged(self.lang))
            }
            _ => Outcome::unchanged(),
        }
    }

    /// Enter on the last field, or Ctrl+S on any: sign in with what the form holds.
    pub(crate) fn sign_in_now(&mut self) -> Outcome {
        let Some(form) = self.sign_in_form_mut() else {
            return Outcome::unchanged();
        };
        form.problem = None;
        form.focus = form.fields.len() - 1;
        match form.enter() {
            Some(request) => Outcome::command(Command::SignIn(request)),
            None => Outcome::redraw(),
        }
    }

    /// An operator signed in, or unlocked: the same operator keeps their work.
    pub(crate) fn signed_in(&mut self, operator: crate::records::Operator) -> Outcome {
        let same = self
            .operator
            .as_ref()
            .is_some_and(|(login, _)| *login == operator.login);
        self.close_overlay();
        self.session.operator = Some(operator.display_name.clone());
        self.operator = Some((operator.login, operator.role));
        if self.center.is_none() && !self.session.training {
            // Said to the operator, on screen: the papers have blanks where the center goes.
            self.show_notice(Message::new("sign_in.no_center"));
        } else if !same {
            self.show_notice(Message::new("sign_in.welcome").arg("name", operator.display_name));
        }
        Outcome::redraw()
    }

    /// Hides everything until the same operator types their password again.
    pub(crate) fn lock(&mut self) -> Outcome {
        let Some((login, _)) = self.operator.clone() else {
            return Outcome::unchanged();
        };
        if self.sign_in_form().is_some() {
            return Outcome::unchanged();
        }
        let name = self
            .session
            .operator
            .clone()
            .unwrap_or_else(|| login.clone());
        self.show_lock(Mode::Locked { login, name });
        // A notice may name an application or a person.
        self.notice = None;
        Outcome {
            redraw: true,
            commands: vec![Command::SaveDraftNow, Command::Locked],
        }
    }

    /// The operator leaves: their case is saved as their draft and put away; the sign-in
    /// form is shown for the next one.
    pub(crate) fn sign_out(&mut self) -> Outcome {
        self.show(Overlay::SignIn(SignInState::new(Mode::SignIn), None));
        Outcome::command(Command::SignOut)
    }

    /// After the sign-out was saved: nothing of the last operator's work stays on screen.
    pub fn clear_after_sign_out(&mut self) {
        self.load_case(Default::default(), None);
        self.lookup = Default::default();
        self.notice = None;
        self.operator = None;
        self.session.operator = None;
        self.show(Overlay::SignIn(SignInState::new(Mode::SignIn), None));
    }
}
