//! The plain records the store reads and writes and the screens show: accounts, submissions,
//! applications with their history, lookup rows, audit rows, status requests and what became
//! of them. Data only (and how a name is written out): both the store and the UI use these,
//! so the UI never names the store.

use chrono::NaiveDate;

use crate::core::{ApplicationStatus, Role};

/// "Surname Given Patronymic", without the parts that are empty.
pub fn full_name(surname: &str, given_name: &str, patronymic: Option<&str>) -> String {
    [surname, given_name, patronymic.unwrap_or("")]
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operator {
    pub id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
}

/// An application to submit, as the desk has it (plain data: the store writes it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Submission {
    /// The draft it comes from: one draft, at most one application.
    pub draft_id: i64,
    pub year: i32,
    pub iin: String,
    /// The applicant as written to `applicants` (the same shape the IIN lookup reads back).
    pub person: KnownApplicant,
    pub registration_type: String,
    pub period_months: Option<u32>,
    pub address: SubmittedAddress,
    pub dwelling_kind: Option<String>,
    pub applicant_relation: Option<String>,
    pub representative_kind: Option<String>,
    pub representative_iin: Option<String>,
    pub representative_name: Option<String>,
    pub representative_basis: Option<String>,
    /// Rule set id, version, sha256.
    pub ruleset: (String, String, String),
    /// JSON: the facts, the rule set, the checklist with its marks, the consents.
    pub decision_record: String,
    pub documents: Vec<SubmittedDocument>,
    pub consents: Vec<SubmittedConsent>,
    /// A document the applicant still has to bring after registration (an arrival without
    /// de-registration proof): its document id.
    pub follow_up: Option<String>,
    /// The operator who submits (recorded on the application, its first history row, the
    /// consents received and the audit row).
    pub operator: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmittedAddress {
    pub region: Option<String>,
    pub district: Option<String>,
    pub settlement: Option<String>,
    pub street: Option<String>,
    pub house: Option<String>,
    pub building: Option<String>,
    pub apartment: Option<String>,
    pub rka: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmittedDocument {
    pub requirement: String,
    pub document: String,
    pub party: String,
    pub number: Option<String>,
    /// `YYYY-MM-DD`.
    pub issued_on: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmittedConsent {
    /// `owner`, `co_owner`, `tenant`, `personal_data`.
    pub kind: String,
    pub iin: Option<String>,
    pub name: String,
    pub role: String,
    pub form: String,
    pub scope: Option<String>,
    /// `YYYY-MM-DD`.
    pub given_at: String,
}

/// An applicant already recorded, as the intake form takes them over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownApplicant {
    pub surname: String,
    pub given_name: String,
    pub patronymic: Option<String>,
    pub birth_date: Option<String>,
    pub sex: Option<String>,
    pub status: String,
    pub capacity: String,
}

/// What [`Store::submit`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    pub id: i64,
    pub number: String,
    /// The draft had been submitted before: this is that application, nothing was added.
    pub already: bool,
}

/// A case closed without an application: registration is not required (a child under 14, a
/// stay too short). No personal data leaves the case's own record: the audit row names the
/// closed case by its id and says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closing {
    /// The draft the case was kept in (removed when the case is closed).
    pub draft_id: i64,
    pub iin: Option<String>,
    /// Why it is closed: `not_required`.
    pub closed_as: String,
    /// The reason codes of the rules that decided it (`under_14`).
    pub reasons: Vec<String>,
    /// (id, version, sha256) of the rule set.
    pub ruleset: (String, String, String),
    pub decision_record: String,
    /// The case in the draft codec.
    pub case_data: String,
    /// Filled in by the effects layer, which knows who is signed in.
    pub operator: Option<i64>,
}

/// A case closed by [`Store::close_case`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closed {
    pub id: i64,
    /// The draft had been closed before: this is that case, nothing was added.
    pub already: bool,
}

/// What [`Store::find_by_iin`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IinMatches {
    pub applicant: Option<KnownApplicant>,
    /// (application number, status code) of applications still open.
    pub open_applications: Vec<(String, String)>,
    /// The person's live registrations: (application number, address).
    pub registered: Vec<(String, SubmittedAddress)>,
}

/// A status change asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRequest {
    pub number: String,
    pub to: ApplicationStatus,
    /// A refusal's ground: an id of the rule set's `reasons`.
    pub reason_code: Option<String>,
    pub note: Option<String>,
    /// The first day of a registration (default: `today`).
    pub registered_from: Option<NaiveDate>,
    pub today: NaiveDate,
    pub operator: Option<i64>,
    /// A step outside the life cycle (`ApplicationStatus::overrides`), with its written
    /// reason: supervisors only.
    pub override_reason: Option<String>,
}

/// What became of a status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusOutcome {
    Changed {
        from: ApplicationStatus,
        to: ApplicationStatus,
        /// The registration period written (registered only): first and last day.
        period: Option<(NaiveDate, Option<NaiveDate>)>,
    },
    /// The life cycle does not allow it; these are the statuses it may go to.
    Forbidden {
        from: ApplicationStatus,
        allowed: Vec<ApplicationStatus>,
    },
    /// A refusal needs its reason code.
    NeedsReason,
    NotFound,
    /// The operator's role does not decide applications (the attempt is audited).
    NotPermitted,
}

impl StatusOutcome {
    /// What the operator is told (statuses in the screen's language).
    pub fn message(&self) -> crate::i18n::Message {
        use crate::i18n::Message;
        match self {
            StatusOutcome::Changed { to, .. } => {
                Message::new("lifecycle.changed").arg_key("status", to.message_key())
            }
            StatusOutcome::Forbidden { from, allowed } if allowed.is_empty() => {
                Message::new("lifecycle.final").arg_key("from", from.message_key())
            }
            StatusOutcome::Forbidden { from, allowed } => {
                let keys: Vec<&'static str> = allowed.iter().map(|s| s.message_key()).collect();
                Message::new("lifecycle.forbidden")
                    .arg_key("from", from.message_key())
                    .arg_keys("allowed", &keys)
            }
            StatusOutcome::NeedsReason => Message::new("lifecycle.needs_reason"),
            StatusOutcome::NotFound => Message::new("lifecycle.not_found"),
            StatusOutcome::NotPermitted => Message::new("roles.no_status_step"),
        }
    }
}

/// A registration that ends soon, or waits for a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueRegistration {
    pub number: String,
    pub surname: String,
    pub given_name: String,
    pub iin: String,
    /// The last day of the registration (the follow-up's deadline).
    pub until: String,
    /// The document still to come, for the follow-up list.
    pub follow_up: Option<String>,
}

/// The daily summary: how many status changes of each kind, refusals by reason, and changes
/// per operator (`None`: not signed in).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DailyReport {
    pub date: NaiveDate,
    pub by_status: Vec<(String, i64)>,
    pub by_reason: Vec<(String, i64)>,
    pub by_operator: Vec<(Option<String>, i64)>,
    /// Cases closed without an application, by why (`not_required`).
    pub closed: Vec<(String, i64)>,
    /// The audit chain's last row and hash when the summary was made: noted on paper (or in
    /// the CSV kept elsewhere), it lets `regdesk audit verify --anchor` see a cut-off tail.
    pub anchor: Option<(i64, String)>,
}

/// A row of the audit trail as the viewer shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    /// The operator's login (none: regdesk itself, or before anyone signed in).
    pub operator: Option<String>,
    pub action: String,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub details: Option<String>,
}

/// Narrows the audit viewer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// An operator's login.
    pub operator: Option<String>,
    /// The start of an action (`login`, `application.status`).
    pub action: Option<String>,
    /// An applicant: the rows about these application ids.
    pub applications: Option<Vec<i64>>,
    /// At or after this UTC timestamp.
    pub from: Option<String>,
}

/// An application read back whole, for the record view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRecord {
    pub application: StoredApplication,
    pub id: i64,
    /// JSON: the case and the evaluation as they were at submission.
    pub decision_record: Option<String>,
    pub registered_from: Option<String>,
    pub registered_until: Option<String>,
    pub follow_up: Option<String>,
    pub timeline: Vec<StatusChange>,
    /// The person's applications, this one included, newest first: (number, status).
    pub person_applications: Vec<(String, String)>,
}

/// One step of an application's life, as the timeline shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// The status before (none for the first row).
    pub from: Option<String>,
    pub to: String,
    pub reason_code: Option<String>,
    pub note: Option<String>,
    /// The operator's display name; none until operators sign in.
    pub by: Option<String>,
    /// RFC 3339, UTC.
    pub at: String,
}

/// One application in a list of results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupRow {
    pub number: String,
    pub surname: String,
    pub given_name: String,
    pub patronymic: Option<String>,
    pub iin: String,
    pub status: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// Where the next page starts after this row.
    pub cursor: Cursor,
}

impl LookupRow {
    pub fn full_name(&self) -> String {
        full_name(&self.surname, &self.given_name, self.patronymic.as_deref())
    }
}

/// Narrows a lookup.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LookupFilter {
    /// Status code (`submitted` ...).
    pub status: Option<String>,
    /// Created on or after this UTC timestamp (`2026-11-01T00:00:00Z`).
    pub from: Option<String>,
    /// Created before this UTC timestamp.
    pub until: Option<String>,
}

/// A position in the alphabetical order of results: after this row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cursor {
    pub sort_key: String,
    pub applicant: i64,
    pub application: i64,
}

/// A page of results, and whether more follow.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LookupPage {
    pub rows: Vec<LookupRow>,
    pub more: bool,
}

/// A submitted application as stored, with what was received and recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredApplication {
    pub number: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub status: String,
    pub iin: String,
    pub surname: String,
    pub given_name: String,
    pub patronymic: Option<String>,
    pub registration_type: String,
    pub period_months: Option<u32>,
    pub address: SubmittedAddress,
    pub representative_name: Option<String>,
    pub representative_kind: Option<String>,
    /// The display name of the operator who took the application (none before sign-in).
    pub taken_by: Option<String>,
    /// (requirement, document type, party, number).
    pub documents: Vec<(String, String, String, Option<String>)>,
    pub consents: Vec<StoredConsent>,
}

impl StoredApplication {
    /// "Surname Given Patronymic", the parts there are.
    pub fn full_name(&self) -> String {
        full_name(&self.surname, &self.given_name, self.patronymic.as_deref())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredConsent {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub role: String,
    pub form: String,
    pub given_at: String,
    pub revoked_at: Option<String>,
    pub revoke_reason: Option<String>,
}

/// A change to the accounts, as an administrator asks for it.
#[derive(Clone, PartialEq, Eq)]
pub enum AccountChange {
    Add {
        login: String,
        name: String,
        role: Role,
        password: String,
    },
    ResetPassword {
        login: String,
        password: String,
    },
    Disable {
        login: String,
    },
}

/// Never the password, wherever a change is printed for debugging.
impl std::fmt::Debug for AccountChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AccountChange::Add { login, role, .. } => write!(f, "Add({login}, {role:?})"),
            AccountChange::ResetPassword { login, .. } => write!(f, "ResetPassword({login})"),
            AccountChange::Disable { login } => write!(f, "Disable({login})"),
        }
    }
}

impl AccountChange {
    /// The login it is about.
    pub fn login(&self) -> &str {
        match self {
            AccountChange::Add { login, .. }
            | AccountChange::ResetPassword { login, .. }
            | AccountChange::Disable { login } => login,
        }
    }

    /// What is said once it is made.
    pub fn done(&self) -> crate::i18n::Message {
        let key = match self {
            AccountChange::Add { .. } => "accounts.added",
            AccountChange::ResetPassword { .. } => "accounts.password_set",
            AccountChange::Disable { .. } => "accounts.disabled",
        };
        crate::i18n::Message::new(key).arg("login", self.login())
    }
}
