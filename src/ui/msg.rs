//! What goes into the state ([`Msg`]: keys, pastes, what the effects found) and what comes
//! out ([`Outcome`]: whether to draw, and the [`Command`]s the effects layer runs).

use chrono::NaiveDate;
use crossterm::event::{Event, KeyEvent, KeyEventKind};
use std::sync::Arc;

use super::drafts::DraftSummary;
use super::intake::Case;
use super::{lookup, sign_in};
use crate::i18n::{Lang, Message};
use crate::rules::RuleSet;

/// Inputs to [`AppState::update`].
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize,
    /// The effects layer saved the case as this draft.
    DraftSaved(i64),
    /// The effects layer read a draft the operator chose to resume.
    DraftLoaded(i64, Case),
    /// The effects layer found these open drafts at start.
    DraftsFound(Vec<DraftSummary>),
    /// What the database knows of the IIN just typed.
    IinKnown(Box<IinKnown>),
    /// The full name of the person whose IIN was typed as the representative's.
    RepresentativeKnown {
        iin: String,
        name: String,
    },
    /// The application was submitted with this number (`already`: it had been before).
    Submitted {
        number: String,
        already: bool,
    },
    /// The case was closed as "registration not required" (`already`: it had been before).
    CaseClosed {
        id: i64,
        already: bool,
    },
    /// The lookup worker's answer to a query.
    Found(Box<lookup::Found>),
    /// A record read back for the record view (`None`: it is gone).
    RecordLoaded(Option<Box<crate::records::ApplicationRecord>>),
    /// The registrations ending soon or waiting for a document.
    DueLoaded(Vec<crate::records::DueRegistration>),
    /// The day's summary.
    SummaryLoaded(Box<crate::records::DailyReport>),
    /// The audit rows the viewer asked for.
    AuditLoaded(Vec<crate::records::AuditRow>),
    /// The accounts, for the administrators' list.
    AccountsLoaded(Vec<crate::records::Operator>),
    /// The account change was made: said, and its form closed.
    AccountChanged(Message),
    /// The account change was refused: said beside the form, which stays open.
    AccountRefused(Message),
    /// The center profile's file as read.
    CenterLoaded(Box<lookup::CenterInfo>),
    /// The center profile was written: the papers name it from now on.
    CenterSaved(Box<crate::center::CenterProfile>),
    /// The center profile was not written: why, and the field to correct.
    CenterRefused {
        field: Option<usize>,
        message: Message,
    },
    /// An operator signed in (or unlocked the desk).
    SignedIn(Box<crate::records::Operator>),
    /// A sign-in was refused, with why.
    SignInRefused(Message),
    /// The sign-in form to show now (another desk made the first administrator meanwhile).
    SignInForm(sign_in::Mode),
    /// Nobody touched the desk for its idle time: lock it.
    IdleLock,
    /// The local day is now this one (the loop wakes at midnight): the desk's date follows.
    DayChanged(NaiveDate),
    /// Something the effects have to say (saved, not saved, not found ...).
    Notice(Message),
    /// What the lookup shows may have changed (a status was changed): ask again.
    LookupStale,
    /// The sign-out was saved: nothing of the last operator's work stays.
    SignedOut,
    /// A new rule set is in use (its shared handle and label).
    RulesReloaded(Arc<RuleSet>, String),
    /// The training database is back to its seeded state, with this many applications.
    TrainingReset(usize),
}

/// The answer to [`Command::LookUpIin`].
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IinKnown {
    pub iin: String,
    pub applicant: Option<crate::records::KnownApplicant>,
    /// (number, status code) of the person's open applications.
    pub applications: Vec<(String, String)>,
    /// Other open drafts for this IIN.
    pub drafts: Vec<DraftSummary>,
    /// The person's live registrations: (application number, address).
    pub registered: Vec<(String, crate::records::SubmittedAddress)>,
}

impl Msg {
    /// The message for a terminal event; `None` for events regdesk ignores (focus, mouse,
    /// key releases that Windows terminals send).
    pub fn from_event(event: Event) -> Option<Msg> {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => Some(Msg::Key(key)),
            Event::Paste(text) => Some(Msg::Paste(text)),
            Event::Resize(..) => Some(Msg::Resize),
            _ => None,
        }
    }
}

/// Side effects the state asks for; run by `app`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Quit,
    /// The language changed; the effects layer records it.
    LanguageChanged(Lang),
    /// Read the rule files again; a set with errors leaves the current one in use.
    ReloadRules,
    /// The case changed: save it as a draft within a second of the last keystroke.
    SaveDraftSoon,
    /// Save the case as a draft now (a field was left).
    SaveDraftNow,
    /// Load the draft with this id into the case.
    ResumeDraft(i64),
    DiscardDraft(i64),
    /// The case was finished or replaced: its draft is no longer the current one.
    NewCase,
    /// Find what the database knows of this IIN (applicant, open applications, drafts).
    LookUpIin(String),
    /// Find the name of the person with this IIN, typed as the representative's.
    LookUpRepresentative(String),
    /// Write this "what to bring" sheet to the documents folder and print it where possible.
    PrintSheet(crate::print::Paper),
    /// Write an audit row (action, details without personal data).
    Audit(String, String),
    /// Submit this application (the draft id is filled in by the effects layer).
    Submit(Box<crate::records::Submission>),
    /// Close the case without an application: registration is not required (the draft id is
    /// filled in by the effects layer).
    CloseCase(Box<crate::records::Closing>),
    /// Write (and print) the note for the family of the case closed with this id.
    PrintNote {
        id: i64,
        paper: crate::print::Paper,
    },
    /// Write (and print) the consent forms of the case, pre-filled for signature.
    PrintConsentForms(crate::print::Paper),
    /// Write (and print) the receipt of this application, in this language.
    PrintReceipt {
        number: String,
        lang: Lang,
    },
    /// Run this query on the lookup worker.
    Lookup(Box<lookup::LookupJob>),
    /// Read this application for the record view (audited).
    OpenRecord(String),
    /// Change an application's status; the record is read again after it.
    ChangeStatus(Box<crate::records::StatusRequest>),
    /// Revoke a recorded consent of this application, with the reason.
    RevokeConsent {
        number: String,
        consent: i64,
        reason: String,
    },
    /// List registrations ending within the days given, or (`true`) waiting for a document.
    LoadDue {
        follow_ups: bool,
        days: u32,
    },
    /// Count the status changes of this day.
    LoadSummary(NaiveDate),
    /// Read the audit trail for the viewer.
    LoadAudit(Box<lookup::AuditQuery>),
    /// List the accounts (administrators).
    LoadAccounts,
    /// Add an account, give one a new password, or disable one (administrators); the list is
    /// read again after it.
    ChangeAccount(Box<crate::records::AccountChange>),
    /// Read the center profile's file (administrators).
    LoadCenter,
    /// Check and write the center profile (administrators).
    SaveCenter(Box<crate::center::CenterFields>),
    /// Sign in, create the first administrator, or unlock.
    SignIn(sign_in::SignInRequest),
    /// The operator leaves: the case is saved as their draft, the desk shows the sign-in.
    SignOut,
    /// The desk was locked (audited).
    Locked,
    /// An action the operator's role does not allow was asked for (audited).
    Refused(&'static str),
    /// Put the training database back to this seeded state (training mode only).
    ResetTraining(Box<crate::training::seed::Seeded>),
}

/// What an update did: whether the screen must be drawn again, and what to run. Never
/// dropped: what it asks for is the loop's to run.
#[derive(Debug, Default, PartialEq, Eq)]
#[must_use]
pub struct Outcome {
    pub redraw: bool,
    pub commands: Vec<Command>,
}

impl Outcome {
    pub(crate) fn redraw() -> Outcome {
        Outcome {
            redraw: true,
            commands: Vec::new(),
        }
    }

    pub(crate) fn unchanged() -> Outcome {
        Outcome::default()
    }

    pub(crate) fn command(command: Command) -> Outcome {
        Outcome {
            redraw: true,
            commands: vec![command],
        }
    }
}
