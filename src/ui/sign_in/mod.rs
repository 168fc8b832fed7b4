//! Signing in, and the lock screen. While either is shown nothing else is: no case, no list,
//! no name, so a desk left alone (or locked after its idle time) shows no personal data.
//! Three forms: the first administrator of a new database, signing in, and unlocking (the
//! operator who locked types their password again; the work in progress stays).

use super::form::FormEditor;
use super::intake::Edit;
use super::text_input::TextInput;
use crate::i18n::Message;

mod session;
mod view;

pub use view::draw;

/// The longest text a field takes.
const MAX_FIELD: usize = 64;

/// Marks the sign-in box whatever the language (the end-to-end tests wait for it).
pub const MARKER: &str = "[ regdesk ]";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// A new database: its first account, an administrator.
    FirstAdmin,
    SignIn,
    /// Locked by `login` (shown by name): only their password unlocks; Esc signs out.
    Locked {
        login: String,
        name: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInState {
    pub mode: Mode,
    /// (label key, text, hidden).
    pub fields: Vec<(&'static str, TextInput, bool)>,
    pub focus: usize,
    pub problem: Option<Message>,
}

/// What Enter asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInRequest {
    SignIn {
        login: String,
        password: String,
    },
    FirstAdmin {
        login: String,
        name: String,
        password: String,
    },
    Unlock {
        login: String,
        password: String,
    },
}

impl SignInState {
    pub fn new(mode: Mode) -> SignInState {
        let field = |key, hidden| (key, TextInput::new(""), hidden);
        let fields = match &mode {
            Mode::FirstAdmin => vec![
                field("sign_in.login", false),
                field("sign_in.name", false),
                field("sign_in.password", true),
                field("sign_in.again", true),
            ],
            Mode::SignIn => vec![
                field("sign_in.login", false),
                field("sign_in.password", true),
            ],
            Mode::Locked { .. } => vec![field("sign_in.password", true)],
        };
        SignInState {
            mode,
            fields,
            focus: 0,
            problem: None,
        }
    }

    fn value(&self, key: &str) -> String {
        self.fields
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, t, _)| t.value().to_owned())
            .unwrap_or_default()
    }

    /// Enter: the next field, or the request when the last is filled; a problem otherwise.
    pub fn enter(&mut self) -> Option<SignInRequest> {
        if self.focus + 1 < self.fields.len() {
            self.focus += 1;
            return None;
        }
        let login = self.value("sign_in.login").trim().to_lowercase();
        let password = self.value("sign_in.password");
        match &self.mode {
            Mode::SignIn => {
                if login.is_empty() || password.is_empty() {
                    self.problem = Some(Message::new("sign_in.fill_both"));
                    self.focus = usize::from(!login.is_empty());
                    return None;
                }
                Some(SignInRequest::SignIn { login, password })
            }
            Mode::Locked { login, .. } => Some(SignInRequest::Unlock {
                login: login.clone(),
                password,
            }),
            Mode::FirstAdmin => {
                let name = self.value("sign_in.name").trim().to_owned();
                if !crate::core::roles::valid_login(&login) {
                    return self.refuse(0, Message::new("operator.error.bad_login"));
                }
                if name.is_empty() {
                    return self.refuse(1, Message::new("sign_in.name_needed"));
                }
                if let Err(p) = crate::core::password::check_new(&password) {
                    return self.refuse(2, Message::new(p.message_key()));
                }
                if password != self.value("sign_in.again") {
                    return self.refuse(3, Message::new("operator.error.mismatch"));
                }
                Some(SignInRequest::FirstAdmin {
                    login,
                    name,
                    password,
                })
            }
        }
    }

    fn refuse(&mut self, focus: usize, problem: Message) -> Option<SignInRequest> {
        self.focus = focus;
        self.problem = Some(problem);
        None
    }

    /// A refused attempt: the problem shown, the password emptied for the next try.
    pub fn refused(&mut self, problem: Message) {
        // The lock screen has no login field: a refusal there is the password's.
        let problem = match (&self.mode, problem.key) {
            (Mode::Locked { .. }, "login.refused") => Message::new("login.refused_password"),
            _ => problem,
        };
        self.problem = Some(problem);
        if let Some(i) = self
            .fields
            .iter()
            .position(|(k, _, _)| *k == "sign_in.password")
        {
            self.fields[i].1 = TextInput::new("");
            self.focus = i;
        }
    }
}

impl FormEditor for SignInState {
    fn next(&mut self, forward: bool) {
        let n = self.fields.len();
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }
    fn edit(&mut self, edit: Edit) {
        self.fields[self.focus].1.edit(edit);
    }
    fn type_text(&mut self, text: &str) {
        let input = &mut self.fields[self.focus].1;
        let room = MAX_FIELD.saturating_sub(input.len());
        let text: String = text
            .chars()
            .filter(|c| !c.is_control())
            .take(room)
            .collect();
        input.insert(&text);
    }

    fn on_last_field(&self) -> bool {
        self.focus + 1 == self.fields.len()
    }
}

#[cfg(test)]
mod tests;
