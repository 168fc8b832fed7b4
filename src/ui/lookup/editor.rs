//! The small forms of the lookup screen: over a record, changing its status (the statuses the
//! life cycle allows from here, a refusal's reason, a note, a registration's first day) and
//! revoking a consent (which one, and why); over the administrators' lists, an account (new,
//! a new password, disabled) and the center profile's values.

use chrono::NaiveDate;

use super::super::form::FormEditor;
use crate::core::ApplicationStatus;
use crate::i18n::Message;
use crate::records::{ApplicationRecord, StatusRequest};
use crate::ui::intake::Edit;
use crate::ui::intake::case::parse_date;
use crate::ui::text_input::TextInput;

const MAX_NOTE: usize = 200;

/// Marks an option of the status form that is an override (outside the life cycle).
pub const OVERRIDE: &str = "override:";

/// One line of a form: a choice among options (← →), or text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Choice { options: Vec<String>, index: usize },
    Text(TextInput),
}

impl Part {
    fn choice(options: Vec<String>) -> Part {
        Part::Choice { options, index: 0 }
    }

    /// The chosen option, or the text.
    pub fn value(&self) -> &str {
        match self {
            Part::Choice { options, index } => options.get(*index).map_or("", String::as_str),
            Part::Text(t) => t.value(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorKind {
    Status,
    Revoke,
    /// A new account (administrators).
    NewAccount,
    /// An account's new password, or disabling it (administrators); `number` is its login.
    Account,
    /// The center profile (administrators).
    Center,
}

/// A form: named parts, one focused, and the problem found when saving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordEditor {
    pub kind: EditorKind,
    pub number: String,
    /// (label key, part).
    pub parts: Vec<(&'static str, Part)>,
    pub focus: usize,
    pub problem: Option<Message>,
    /// Revoke: the consent ids, in the order of the choice's options.
    pub consent_ids: Vec<i64>,
}

/// What a saved form asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditorAction {
    ChangeStatus(StatusRequest),
    Revoke { consent: i64, reason: String },
    Account(crate::records::AccountChange),
    Center(crate::center::CenterFields),
}

impl RecordEditor {
    /// The status form, or `None` with the reason when no change is possible from here.
    /// `may`: whether the operator's role allows moving to a status; `may_override`: whether
    /// it allows the steps outside the life cycle (then offered too, with a written reason).
    pub fn status(
        record: &ApplicationRecord,
        reasons: Vec<String>,
        today: NaiveDate,
        may: impl Fn(ApplicationStatus) -> bool,
        may_override: bool,
    ) -> Result<RecordEditor, Message> {
        let from = ApplicationStatus::from_code(&record.application.status)
            .ok_or_else(|| Message::new("lifecycle.not_found"))?;
        let allowed = from.next_allowed();
        let overrides: Vec<ApplicationStatus> = if may_override {
            from.overrides().into_iter().filter(|s| may(*s)).collect()
        } else {
            Vec::new()
        };
        if allowed.is_empty() && overrides.is_empty() {
            return Err(crate::records::StatusOutcome::Forbidden { from, allowed }.message());
        }
        let allowed: Vec<ApplicationStatus> = allowed.into_iter().filter(|s| may(*s)).collect();
        if allowed.is_empty() && overrides.is_empty() {
            return Err(Message::new("roles.no_status_step"));
        }
        let override_codes: Vec<String> = overrides.iter().map(|s| s.code().to_owned()).collect();
        let options = allowed
            .iter()
            .map(|s| s.code().to_owned())
            .chain(override_codes.iter().map(|c| format!("{OVERRIDE}{c}")))
            .collect();
        let mut parts = vec![("lookup.editor.status", Part::choice(options))];
        parts.push(("lookup.editor.reason", Part::choice(reasons)));
        parts.push((
            "lookup.editor.from",
            Part::Text(TextInput::new(&today.format("%d.%m.%Y").to_string())),
        ));
        parts.push(("lookup.editor.note", Part::Text(TextInput::new(""))));
        Ok(RecordEditor {
            kind: EditorKind::Status,
            number: record.application.number.clone(),
            parts,
            focus: 0,
            problem: None,
            consent_ids: Vec::new(),
        })
    }

    /// The revocation form over the consents not yet revoked, or `None` when there are none.
    pub fn revoke(record: &ApplicationRecord) -> Option<RecordEditor> {
        let open: Vec<_> = record
            .application
            .consents
            .iter()
            .filter(|c| c.revoked_at.is_none())
            .collect();
        if open.is_empty() {
            return None;
        }
        let options = open
            .iter()
            .map(|c| format!("{}\u{1f}{}", c.kind, c.name))
            .collect();
        Some(RecordEditor {
            kind: EditorKind::Revoke,
            number: record.application.number.clone(),
            parts: vec![
                ("lookup.editor.consent", Part::choice(options)),
                (
                    "lookup.editor.revoke_reason",
                    Part::Text(TextInput::new("")),
                ),
            ],
            focus: 0,
            problem: None,
            consent_ids: open.iter().map(|c| c.id).collect(),
        })
    }

    /// The status chosen (status form).
    pub fn chosen_status(&self) -> Option<ApplicationStatus> {
        let value = self.parts[0].1.value();
        (self.kind == EditorKind::Status)
            .then(|| ApplicationStatus::from_code(value.strip_prefix(OVERRIDE).unwrap_or(value)))
            .flatten()
    }

    /// The chosen step is an override: the note is its mandatory reason.
    pub fn overriding(&self) -> bool {
        self.kind == EditorKind::Status && self.parts[0].1.value().starts_with(OVERRIDE)
    }

    /// Which parts show: a reason for a refusal only, a first day for a registration only.
    pub fn visible(&self, part: usize) -> bool {
        match (self.kind, self.parts.get(part).map(|p| p.0)) {
            (EditorKind::Status, Some("lookup.editor.reason")) => {
                self.chosen_status() == Some(ApplicationStatus::Refused)
            }
            (EditorKind::Status, Some("lookup.editor.from")) => {
                self.chosen_status() == Some(ApplicationStatus::Registered)
            }
            // A password only when one is being set.
            (EditorKind::Account, Some(PASSWORD | REPEAT)) => {
                self.parts[0].1.value() == ACTION_PASSWORD
            }
            (_, Some(_)) => true,
            (_, None) => false,
        }
    }

    /// What saving asks for, or `None` with the problem shown beside its part.
    pub fn finish(&mut self, today: NaiveDate) -> Option<EditorAction> {
        match self.kind {
            EditorKind::Status => {
                let to = self.chosen_status()?;
                let reason = (to == ApplicationStatus::Refused)
                    .then(|| self.parts[1].1.value().to_owned())
                    .filter(|r| !r.is_empty());
                if to == ApplicationStatus::Refused && reason.is_none() {
                    self.problem = Some(Message::new("lifecycle.needs_reason"));
                    self.focus = 1;
                    return None;
                }
                let mut registered_from = None;
                if to == ApplicationStatus::Registered {
                    match parse_date(self.parts[2].1.value()) {
                        Some(day) if day <= today => registered_from = Some(day),
                        _ => {
                            self.problem = Some(Message::new("lookup.editor.bad_from"));
                            self.focus = 2;
                            return None;
                        }
                    }
                }
                let note =
                    Some(self.parts[3].1.value().trim().to_owned()).filter(|n| !n.is_empty());
                // An override's note is its reason, and it is required.
                let overriding = self.overriding();
                if overriding && note.is_none() {
                    self.problem = Some(Message::new("lookup.editor.override_needs_reason"));
                    self.focus = 3;
                    return None;
                }
                let (note, override_reason) = if overriding {
                    (None, note)
                } else {
                    (note, None)
                };
                Some(EditorAction::ChangeStatus(StatusRequest {
                    number: self.number.clone(),
                    to,
                    reason_code: reason,
                    note,
                    registered_from,
                    today,
                    operator: None,
                    override_reason,
                }))
            }
            EditorKind::NewAccount | EditorKind::Account => self.finish_account(),
            EditorKind::Center => {
                let values = std::array::from_fn(|i| {
                    self.parts
                        .get(i)
                        .map_or(String::new(), |(_, p)| p.value().to_owned())
                });
                Some(EditorAction::Center(crate::center::CenterFields(values)))
            }
            EditorKind::Revoke => {
                let Part::Choice { index, .. } = &self.parts[0].1 else {
                    return None;
                };
                let consent = *self.consent_ids.get(*index)?;
                let reason = self.parts[1].1.value().trim().to_owned();
                if reason.is_empty() {
                    self.problem = Some(Message::new("consents.error.reason"));
                    self.focus = 1;
                    return None;
                }
                Some(EditorAction::Revoke { consent, reason })
            }
        }
    }
}

/// The labels of the account forms' parts.
const LOGIN: &str = "accounts.login";
const NAME: &str = "accounts.name";
const ROLE: &str = "accounts.role";
const ACTION: &str = "accounts.action";
pub const PASSWORD: &str = "accounts.password";
pub const REPEAT: &str = "accounts.repeat";
/// The account form's two actions.
pub const ACTION_PASSWORD: &str = "password";
pub const ACTION_DISABLE: &str = "disable";

impl RecordEditor {
    /// The form of a new account: login, name, role, the password twice.
    pub fn new_account() -> RecordEditor {
        let roles = crate::core::Role::ALL
            .iter()
            .map(|r| r.code().to_owned())
            .collect();
        RecordEditor {
            kind: EditorKind::NewAccount,
            number: String::new(),
            parts: vec![
                (LOGIN, Part::Text(TextInput::new(""))),
                (NAME, Part::Text(TextInput::new(""))),
                (ROLE, Part::choice(roles)),
                (PASSWORD, Part::Text(TextInput::new(""))),
                (REPEAT, Part::Text(TextInput::new(""))),
            ],
            focus: 0,
            problem: None,
            consent_ids: Vec::new(),
        }
    }

    /// The form of an existing account: a new password (twice), or disabling it.
    pub fn account(login: &str) -> RecordEditor {
        RecordEditor {
            kind: EditorKind::Account,
            number: login.to_owned(),
            parts: vec![
                (
                    ACTION,
                    Part::choice(vec![ACTION_PASSWORD.into(), ACTION_DISABLE.into()]),
                ),
                (PASSWORD, Part::Text(TextInput::new(""))),
                (REPEAT, Part::Text(TextInput::new(""))),
            ],
            focus: 0,
            problem: None,
            consent_ids: Vec::new(),
        }
    }

    /// The center profile's form, with its values as the file has them (empty where none).
    pub fn center(fields: Option<&crate::center::CenterFields>) -> RecordEditor {
        let parts = crate::center::FIELDS
            .iter()
            .enumerate()
            .map(|(i, label)| {
                let value = fields.map_or("", |f| f.0[i].as_str());
                (*label, Part::Text(TextInput::new(value)))
            })
            .collect();
        RecordEditor {
            kind: EditorKind::Center,
            number: String::new(),
            parts,
            focus: 0,
            problem: None,
            consent_ids: Vec::new(),
        }
    }

    /// Whether the part at `index` is a password (shown as dots).
    pub fn is_secret(&self, index: usize) -> bool {
        matches!(self.parts.get(index).map(|p| p.0), Some(PASSWORD | REPEAT))
    }

    fn value_of(&self, label: &str) -> &str {
        self.parts
            .iter()
            .find(|(l, _)| *l == label)
            .map_or("", |(_, p)| p.value())
    }

    fn focus_on(&mut self, label: &str, problem: &'static str) -> Option<EditorAction> {
        self.focus = self
            .parts
            .iter()
            .position(|(l, _)| *l == label)
            .unwrap_or(0);
        self.problem = Some(Message::new(problem));
        None
    }

    /// The account change asked for, or the problem beside its part. The store checks the
    /// rest (login taken, the password's strength, the last administrator).
    fn finish_account(&mut self) -> Option<EditorAction> {
        use crate::records::AccountChange;
        let setting_password =
            self.kind == EditorKind::NewAccount || self.value_of(ACTION) == ACTION_PASSWORD;
        if setting_password && self.value_of(PASSWORD) != self.value_of(REPEAT) {
            return self.focus_on(REPEAT, "operator.error.mismatch");
        }
        let password = self.value_of(PASSWORD).to_owned();
        let change = match self.kind {
            EditorKind::NewAccount => {
                let login = self.value_of(LOGIN).trim().to_owned();
                if !crate::core::roles::valid_login(&login) {
                    return self.focus_on(LOGIN, "operator.error.bad_login");
                }
                let name = self.value_of(NAME).trim().to_owned();
                if !crate::core::roles::valid_display_name(&name) {
                    return self.focus_on(NAME, "operator.error.bad_name");
                }
                let role = crate::core::Role::from_code(self.value_of(ROLE))?;
                AccountChange::Add {
                    login,
                    name,
                    role,
                    password,
                }
            }
            _ if setting_password => AccountChange::ResetPassword {
                login: self.number.clone(),
                password,
            },
            _ => AccountChange::Disable {
                login: self.number.clone(),
            },
        };
        Some(EditorAction::Account(change))
    }
}

impl FormEditor for RecordEditor {
    fn next(&mut self, forward: bool) {
        let n = self.parts.len();
        for step in 1..=n {
            let i = if forward {
                (self.focus + step) % n
            } else {
                (self.focus + n * 2 - step) % n
            };
            if self.visible(i) {
                self.focus = i;
                return;
            }
        }
    }
    fn edit(&mut self, edit: Edit) {
        self.problem = None;
        let Some((_, part)) = self.parts.get_mut(self.focus) else {
            return;
        };
        match part {
            Part::Choice { options, index } => {
                let n = options.len().max(1);
                match edit {
                    Edit::Right => *index = (*index + 1) % n,
                    Edit::Left => *index = (*index + n - 1) % n,
                    _ => {}
                }
            }
            Part::Text(t) => {
                t.edit(edit);
            }
        }
    }
    fn type_text(&mut self, text: &str) {
        self.problem = None;
        if let Some((_, Part::Text(t))) = self.parts.get_mut(self.focus) {
            let room = MAX_NOTE.saturating_sub(t.len());
            let text: String = text
                .chars()
                .filter(|c| !c.is_control())
                .take(room)
                .collect();
            t.insert(&text);
        }
    }
    /// Whether the focus is on the last field shown.
    fn on_last_field(&self) -> bool {
        !(self.focus + 1..self.parts.len()).any(|i| self.visible(i))
    }
}
