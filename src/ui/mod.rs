//! The user interface as plain data: [`AppState`] holds what is shown, [`AppState::update`]
//! turns an input into a new state plus [`Command`]s for the effects layer, and [`view`] draws
//! a state. Nothing here does IO, so all of it is tested without a terminal.

pub mod checklist;
pub mod consents;
pub mod drafts;
pub mod help;
pub mod intake;
pub mod keymap;
pub mod lookup;
pub mod marks;
pub mod overlay;
pub mod popup;
pub mod session;
pub mod sign_in;
pub mod submit;

pub mod text_input;
pub mod view;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::i18n::{Lang, Message, Tr};
use crate::rules::{EvalOptions, Evaluation, FactTable, RuleSet, evaluate};
use checklist::ChecklistState;
use drafts::{DraftSummary, DraftsState};
use intake::fields::{FieldId, for_fact};
use intake::{Case, IntakeState};
use keymap::{Action, Context};

pub use overlay::{HelpState, Overlay};
pub use view::view;

/// The screens of the desk, in the order of the tab bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Intake,
    Checklist,
    Consent,
    Lookup,
}

impl Screen {
    pub const ALL: [Screen; 4] = [
        Screen::Intake,
        Screen::Checklist,
        Screen::Consent,
        Screen::Lookup,
    ];

    fn index(self) -> usize {
        Screen::ALL.iter().position(|&s| s == self).unwrap_or(0)
    }

    pub fn next(self) -> Screen {
        Screen::ALL[(self.index() + 1) % Screen::ALL.len()]
    }

    pub fn previous(self) -> Screen {
        Screen::ALL[(self.index() + Screen::ALL.len() - 1) % Screen::ALL.len()]
    }

    /// Translation key prefix of the screen (`screen.intake`).
    pub fn key(self) -> &'static str {
        match self {
            Screen::Intake => "screen.intake",
            Screen::Checklist => "screen.checklist",
            Screen::Consent => "screen.consent",
            Screen::Lookup => "screen.lookup",
        }
    }
}

/// What the session is connected to, shown in the title bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// The database file as the operator should see it (home folder shortened to `~`).
    pub database: String,
    pub operator: Option<String>,
    pub training: bool,
    /// The rule set in use, "id version".
    pub rules: String,
}

/// The live result of the rules for the case.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseResult {
    Ready(Box<Evaluation>),
    /// The case cannot be evaluated: contradicting facts, or a date the set does not cover.
    Problems(Vec<Message>),
}

/// Everything the screen shows.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub lang: Lang,
    pub screen: Screen,
    /// What is drawn over the screen: help, the sign-in or lock, the drafts offered, the
    /// gate, the number just given.
    pub overlay: Option<Overlay>,
    /// A one-line message for the operator; kept as a key and arguments, so it is shown in
    /// whatever language is active when it is drawn.
    pub notice: Option<Message>,
    pub session: SessionInfo,
    /// The rule set in use (replaced on reload) and the date cases are evaluated on.
    pub rules: Arc<RuleSet>,
    pub today: NaiveDate,
    /// The case being worked on, shared by every screen.
    pub case: Case,
    /// The draft the case is saved in, once saved.
    pub draft_id: Option<i64>,
    pub intake: IntakeState,
    pub checklist: ChecklistState,
    pub consents: consents::ConsentsState,
    pub result: CaseResult,
    /// Another open draft for the IIN typed, resumed with Ctrl+O.
    pub offered_draft: Option<DraftSummary>,
    /// The center profile the papers name (none: the papers say it is missing).
    pub center: Option<Arc<crate::center::CenterProfile>>,
    pub lookup: lookup::LookupState,
    /// The desk's time zone, for showing stored UTC times (UTC in tests).
    pub utc_offset: chrono::FixedOffset,
    /// The signed-in operator's login and role; `None` where nobody signs in (training without
    /// accounts, tests of the screens): then the role table does not narrow anything.
    pub operator: Option<(String, crate::core::Role)>,
}

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
    /// The application was submitted with this number (`already`: it had been before).
    Submitted {
        number: String,
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
    /// Write this "what to bring" sheet to the documents folder and print it where possible.
    PrintSheet(String),
    /// Write an audit row (action, details without personal data).
    Audit(String, String),
    /// Submit this application (the draft id is filled in by the effects layer).
    Submit(Box<crate::records::Submission>),
    /// Write (and print) the consent forms of the case, pre-filled for signature.
    PrintConsentForms(String),
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
    /// Sign in, create the first administrator, or unlock.
    SignIn(sign_in::SignInRequest),
    /// The operator leaves: the case is saved as their draft, the desk shows the sign-in.
    SignOut,
    /// The desk was locked (audited).
    Locked,
    /// An action the operator's role does not allow was asked for (audited).
    Refused(&'static str),
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
    fn redraw() -> Outcome {
        Outcome {
            redraw: true,
            commands: Vec::new(),
        }
    }

    fn unchanged() -> Outcome {
        Outcome::default()
    }

    fn command(command: Command) -> Outcome {
        Outcome {
            redraw: true,
            commands: vec![command],
        }
    }
}

/// Lines the help overlay moves on PageUp/PageDown.
const HELP_PAGE: u16 = 10;

impl AppState {
    pub fn new(
        lang: Lang,
        session: SessionInfo,
        rules: Arc<RuleSet>,
        today: NaiveDate,
    ) -> AppState {
        let mut state = AppState {
            lang,
            screen: Screen::Intake,
            overlay: None,
            notice: None,
            session,
            rules,
            today,
            case: Case::default(),
            draft_id: None,
            intake: IntakeState::default(),
            checklist: ChecklistState::default(),
            consents: consents::ConsentsState::default(),
            result: CaseResult::Problems(Vec::new()),
            offered_draft: None,
            center: None,
            lookup: lookup::LookupState::default(),
            utc_offset: chrono::FixedOffset::east_opt(0).expect("UTC"),
            operator: None,
        };
        state.refresh();
        state
    }

    /// The language of the person's papers: chosen in the case, else the operator's.
    pub fn document_language(&self) -> Lang {
        self.case
            .get(FieldId::DocumentLanguage)
            .parse()
            .unwrap_or(self.lang)
    }

    /// The evaluation, when the case could be evaluated.
    pub fn evaluation(&self) -> Option<&Evaluation> {
        match &self.result {
            CaseResult::Ready(e) => Some(e),
            CaseResult::Problems(_) => None,
        }
    }

    /// Evaluates the case again: the checklist, the questions still asked, the contradictions
    /// shown on their fields, and the marks that still apply.
    pub fn refresh(&mut self) {
        let facts = self.case.facts(self.today);
        let mut contradictions = BTreeMap::new();
        self.result = match FactTable::build(&facts, self.today) {
            Err(errors) => {
                for e in &errors {
                    if let Some(def) = for_fact(&e.field) {
                        // The other side of the contradiction by its field's label, not its fact.
                        let other = e.message.args.iter().find(|(n, _)| *n == "other");
                        let message = match other.and_then(|(_, fact)| for_fact(fact)) {
                            Some(other) => e
                                .message
                                .clone()
                                .with_arg_key("other", &format!("field.{}", other.name)),
                            None => e.message.clone(),
                        };
                        contradictions.entry(def.id).or_insert(message);
                    }
                }
                CaseResult::Problems(errors.into_iter().map(|e| e.message).collect())
            }
            Ok(table) => match evaluate(&self.rules, &table, self.today, EvalOptions::default()) {
                Ok(e) => CaseResult::Ready(Box::new(e)),
                Err(not_covered) => CaseResult::Problems(vec![not_covered.message(&self.rules)]),
            },
        };
        self.intake.contradictions = contradictions;
        if let CaseResult::Ready(e) = &self.result {
            // Only the questions whose answer can still change what the case gets.
            self.intake.asked = e.missing.iter().cloned().collect();
            if let Some(notice) = self.checklist.follow(e, &mut self.case) {
                self.notice = Some(notice);
            }
        }
        self.intake.keep_focus_visible(&self.case);
    }

    /// Puts a resumed draft (or a new case) in place.
    pub fn load_case(&mut self, case: Case, draft_id: Option<i64>) {
        self.case = case;
        self.draft_id = draft_id;
        self.intake = IntakeState::default();
        self.checklist = ChecklistState::default();
        self.consents = consents::ConsentsState::default();
        if self.drafts_offered().is_some() {
            self.overlay = None;
        }
        self.offered_draft = None;
        self.screen = Screen::Intake;
        self.refresh();
        let first = self
            .intake
            .visible(&self.case)
            .into_iter()
            .find(|id| !self.case.has(*id));
        self.intake
            .focus_on(&self.case, first.unwrap_or(FieldId::Iin));
    }

    /// Offers the open drafts (none: nothing is shown).
    pub fn offer_drafts(&mut self, items: Vec<DraftSummary>) {
        if !items.is_empty() {
            self.show(Overlay::Drafts(DraftsState {
                items,
                ..DraftsState::default()
            }));
        }
    }

    /// A new rule set is in use: evaluate the case with it.
    pub fn set_rules(&mut self, rules: Arc<RuleSet>, label: String) {
        self.rules = rules;
        self.session.rules = label;
        self.refresh();
    }

    /// Shows a one-line message to the operator.
    pub fn show_notice(&mut self, message: Message) {
        self.notice = Some(message);
    }

    pub fn tr(&self) -> Tr {
        Tr::new(self.lang)
    }

    /// Whether the open form's focus is on its last field (Enter then saves).
    fn editor_on_last_field(&self) -> bool {
        match self.screen {
            Screen::Checklist => self
                .checklist
                .editor
                .as_ref()
                .is_some_and(|e| e.on_last_field()),
            Screen::Consent => self
                .consents
                .editor
                .as_ref()
                .is_some_and(|e| e.on_last_field()),
            Screen::Lookup => self
                .lookup
                .record
                .as_ref()
                .and_then(|r| r.editor.as_ref())
                .is_some_and(|e| e.on_last_field()),
            Screen::Intake => false,
        }
    }

    pub fn context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::SignIn(..)) => return Context::SignIn,
            Some(Overlay::Help(..)) => return Context::Help,
            Some(Overlay::Drafts(_)) => return Context::Drafts,
            Some(Overlay::Gate(_)) => return Context::Gate,
            Some(Overlay::Submitted(_)) => return Context::Submitted,
            None => {}
        }
        if (self.screen == Screen::Checklist && self.checklist.editor.is_some())
            || (self.screen == Screen::Consent && self.consents.editor.is_some())
            || (self.screen == Screen::Lookup
                && self
                    .lookup
                    .record
                    .as_ref()
                    .is_some_and(|r| r.editor.is_some()))
        {
            Context::Editor
        } else {
            match self.screen {
                Screen::Intake => Context::Form,
                Screen::Checklist | Screen::Consent => Context::List,
                Screen::Lookup if self.lookup.record.is_some() => Context::Record,
                Screen::Lookup => Context::Search,
            }
        }
    }

    pub fn update(&mut self, msg: Msg) -> Outcome {
        match msg {
            Msg::Resize => Outcome::redraw(),
            Msg::DraftSaved(id) => {
                self.draft_id = Some(id);
                Outcome::unchanged()
            }
            Msg::DraftLoaded(id, case) => {
                self.load_case(case, Some(id));
                self.show_notice(Message::new("drafts.resumed"));
                Outcome::redraw()
            }
            Msg::DraftsFound(items) => {
                self.offer_drafts(items);
                Outcome::redraw()
            }
            Msg::IinKnown(known) => self.iin_known(*known),
            Msg::Submitted { number, already } => {
                self.show(Overlay::Submitted(number));
                self.draft_id = None;
                if already {
                    self.show_notice(Message::new("submit.already"));
                }
                Outcome::redraw()
            }
            Msg::SignedIn(operator) => self.signed_in(*operator),
            Msg::SignInForm(mode) => {
                self.show_lock(mode);
                Outcome::redraw()
            }
            Msg::SignInRefused(problem) => {
                if let Some(form) = self.sign_in_form_mut() {
                    form.refused(problem);
                }
                Outcome::redraw()
            }
            Msg::IdleLock => self.lock(),
            Msg::LookupStale => match self.lookup.new_query(self.today, self.utc_offset) {
                Some(job) => Outcome::command(Command::Lookup(Box::new(job))),
                None => Outcome::unchanged(),
            },
            Msg::Notice(message) => {
                self.show_notice(message);
                Outcome::redraw()
            }
            Msg::SignedOut => {
                self.clear_after_sign_out();
                Outcome::redraw()
            }
            Msg::RulesReloaded(rules, label) => {
                self.set_rules(rules, label);
                Outcome::redraw()
            }
            Msg::DayChanged(day) => {
                if day == self.today {
                    return Outcome::unchanged();
                }
                // A desk left running past midnight: the rules, consent dates and the
                // application number's year follow the clock from now on.
                self.today = day;
                self.refresh();
                Outcome::redraw()
            }
            Msg::Paste(text) if self.context() == Context::SignIn => {
                if let Some(form) = self.sign_in_form_mut() {
                    form.type_text(&text.replace(['\n', '\r', '\t'], ""));
                }
                Outcome::redraw()
            }
            Msg::Found(found) => self.lookup_found(*found),
            Msg::RecordLoaded(record) => self.record_loaded(record),
            Msg::DueLoaded(due) => {
                self.lookup.due = due;
                self.lookup.selected = 0;
                self.lookup.offset = 0;
                Outcome::redraw()
            }
            Msg::AuditLoaded(rows) => {
                self.lookup.audit = rows;
                Outcome::redraw()
            }
            Msg::SummaryLoaded(report) => {
                self.lookup.summary = Some(*report);
                Outcome::redraw()
            }
            Msg::Paste(text) if self.context() == Context::Search => {
                if self.lookup.type_text(&text) {
                    return self.lookup_query();
                }
                Outcome::unchanged()
            }
            Msg::Paste(text) if self.context() == Context::Editor => {
                self.type_in_editor(&text.replace(['\n', '\r', '\t'], " "));
                Outcome::redraw()
            }
            Msg::Paste(text) if self.context() == Context::Form => {
                // Lines and tabs of a pasted text become spaces: a field is one line.
                let text: String = text
                    .chars()
                    .map(|c| {
                        if matches!(c, '\n' | '\r' | '\t') {
                            ' '
                        } else {
                            c
                        }
                    })
                    .collect();
                let tr = self.tr();
                let changed = self.intake.type_text(&mut self.case, &text, &tr);
                self.after_intake(changed)
            }
            // Elsewhere no screen takes text; a paste must simply do no harm.
            Msg::Paste(_) => Outcome::unchanged(),
            Msg::Key(key) => match keymap::action_for(&key, self.context()) {
                Some(action) => self.apply(action),
                None => self.typed(&key),
            },
        }
    }

    /// A key no binding took: in a form field, a typed character is text.
    fn typed(&mut self, key: &KeyEvent) -> Outcome {
        let KeyCode::Char(c) = key.code else {
            return Outcome::unchanged();
        };
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return Outcome::unchanged();
        }
        if self.context() == Context::Editor {
            self.type_in_editor(&c.to_string());
            return Outcome::redraw();
        }
        if self.context() == Context::Search {
            self.lookup.type_text(&c.to_string());
            return self.lookup_query();
        }
        if let Some(form) = self.sign_in_form_mut() {
            form.type_text(&c.to_string());
            return Outcome::redraw();
        }
        if self.context() != Context::Form {
            return Outcome::unchanged();
        }
        let tr = self.tr();
        let changed = self.intake.type_text(&mut self.case, &c.to_string(), &tr);
        self.after_intake(changed)
    }

    fn after_intake(&mut self, changed: intake::Changed) -> Outcome {
        let mut commands = Vec::new();
        if let Some(iin) = changed.iin_to_look_up.clone() {
            commands.push(Command::LookUpIin(iin));
        }
        if changed.value {
            self.refresh();
            commands.push(Command::SaveDraftSoon);
        }
        if changed.left_field {
            self.refresh();
            commands.push(Command::SaveDraftNow);
        }
        Outcome {
            redraw: changed.redraw || changed.value || changed.left_field,
            commands,
        }
    }

    fn apply(&mut self, action: Action) -> Outcome {
        if self.context() == Context::SignIn {
            return self.sign_in_action(action);
        }
        if matches!(self.context(), Context::Search | Context::Record)
            && let Some(outcome) = self.lookup_action(action)
        {
            return outcome;
        }
        match action {
            Action::Quit => Outcome::command(Command::Quit),
            Action::Help => {
                self.open_help();
                Outcome::redraw()
            }
            Action::CloseOverlay => {
                if self.submitted().is_some() {
                    return self.next_person();
                } else if self.overlay.is_some() {
                    // Help gives back what it covered; Esc on the drafts starts a new case.
                    self.close_overlay();
                } else if self.screen == Screen::Consent && self.consents.editor.is_some() {
                    self.consents.editor = None;
                } else if let Some(record) = self
                    .lookup
                    .record
                    .as_mut()
                    .filter(|_| self.screen == Screen::Lookup)
                {
                    record.editor = None;
                } else {
                    self.checklist.editor = None;
                }
                Outcome::redraw()
            }
            Action::GoTo(screen) => self.go_to(screen),
            Action::NextScreen => self.go_to(self.screen.next()),
            Action::PreviousScreen => self.go_to(self.screen.previous()),
            Action::SwitchLanguage => {
                self.lang = self.lang.next();
                self.show_notice(Message::new("language.changed"));
                Outcome::command(Command::LanguageChanged(self.lang))
            }
            Action::ReloadRules => match self.refused(crate::core::Permission::ReloadRules) {
                Some(refusal) => refusal,
                None => Outcome::command(Command::ReloadRules),
            },
            Action::ScrollUp => self.scroll_help(|s| s.saturating_sub(1)),
            Action::ScrollDown => self.scroll_help(|s| s.saturating_add(1)),
            Action::PageUp => self.scroll_help(|s| s.saturating_sub(HELP_PAGE)),
            Action::PageDown => self.scroll_help(|s| s.saturating_add(HELP_PAGE)),
            Action::NextField | Action::PreviousField | Action::Edit(_)
                if self.context() == Context::Editor =>
            {
                if let Some(editor) = self
                    .lookup
                    .record
                    .as_mut()
                    .and_then(|r| r.editor.as_mut())
                    .filter(|_| self.screen == Screen::Lookup)
                {
                    match action {
                        Action::NextField => editor.next(true),
                        Action::PreviousField => editor.next(false),
                        Action::Edit(edit) => editor.edit(edit),
                        _ => {}
                    }
                } else if let Some(editor) = self
                    .consents
                    .editor
                    .as_mut()
                    .filter(|_| self.screen == Screen::Consent)
                {
                    match action {
                        Action::NextField => editor.next(true),
                        Action::PreviousField => editor.next(false),
                        Action::Edit(edit) => editor.edit(edit),
                        _ => {}
                    }
                } else if let Some(editor) = self.checklist.editor.as_mut() {
                    match action {
                        Action::NextField => editor.next(true),
                        Action::PreviousField => editor.next(false),
                        Action::Edit(edit) => editor.edit(edit),
                        _ => {}
                    }
                }
                Outcome::redraw()
            }
            // Enter: the next field, or on the last one, save, in every form alike.
            Action::NextOrSave if self.context() == Context::Editor => {
                if self.editor_on_last_field() {
                    self.apply(Action::SaveMark)
                } else {
                    self.apply(Action::NextField)
                }
            }
            Action::NextOrSave => Outcome::unchanged(),
            Action::SaveMark if self.screen == Screen::Consent => self.save_consent(),
            Action::SaveMark if self.screen == Screen::Lookup => self.save_record_editor(),
            Action::Submit => {
                let gaps = submit::gaps(&self.case, self.evaluation(), &self.intake, self.today);
                if gaps.is_empty()
                    && let Some(e) = self.evaluation()
                {
                    let submission = submit::submission(&self.case, e, self.draft_id.unwrap_or(0));
                    return Outcome::command(Command::Submit(Box::new(submission)));
                }
                self.show(Overlay::Gate(submit::GateState { gaps, selected: 0 }));
                Outcome::redraw()
            }
            Action::ListUp | Action::ListDown if self.context() == Context::Gate => {
                if let Some(Overlay::Gate(gate)) = self.overlay.as_mut() {
                    gate.selected = if action == Action::ListDown {
                        (gate.selected + 1).min(gate.gaps.len().saturating_sub(1))
                    } else {
                        gate.selected.saturating_sub(1)
                    };
                }
                Outcome::redraw()
            }
            Action::Expand if matches!(self.context(), Context::Gate | Context::Submitted) => {
                self.overlay_enter()
            }
            Action::PrintReceipt => match self.submitted() {
                Some(number) => Outcome::command(Command::PrintReceipt {
                    number: number.to_owned(),
                    lang: self.document_language(),
                }),
                None => Outcome::unchanged(),
            },
            Action::FamilyCase if self.submitted().is_some() => {
                self.overlay = None;
                self.apply(Action::FamilyCase)
            }
            Action::ListUp | Action::ListDown | Action::Expand | Action::Mark
                if self.screen == Screen::Consent && self.drafts_offered().is_none() =>
            {
                self.consent_key(action)
            }
            Action::SaveMark => {
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
            Action::NextField => {
                let changed = self.intake.next_field(&mut self.case, self.today);
                self.after_intake(changed)
            }
            Action::PreviousField => {
                let changed = self.intake.previous_field(&mut self.case, self.today);
                self.after_intake(changed)
            }
            Action::Edit(edit) => {
                let changed = self.intake.edit(&mut self.case, edit, self.today);
                self.after_intake(changed)
            }
            Action::FamilyCase => {
                let next = self.case.for_family_member();
                self.load_case(next, None);
                self.show_notice(Message::new("intake.family_case"));
                Outcome {
                    redraw: true,
                    commands: vec![Command::NewCase, Command::SaveDraftNow],
                }
            }
            Action::ListUp
            | Action::ListDown
            | Action::Expand
            | Action::Collapse
            | Action::Mark
            | Action::ClearMark
                if self.drafts_offered().is_none() =>
            {
                self.checklist_key(action)
            }
            Action::ListUp | Action::ListDown => self.move_in_drafts(action == Action::ListDown),
            Action::ResumeDraft => match self.drafts_offered().and_then(|d| d.selected()) {
                Some(draft) => Outcome::command(Command::ResumeDraft(draft.id)),
                None => Outcome::unchanged(),
            },
            Action::DiscardDraft => self.discard_draft(),
            Action::PrintConsentForms => match self.submitted() {
                Some(_) => self.consent_forms(),
                None => Outcome::unchanged(),
            },
            Action::PrintSheet if self.screen == Screen::Consent => self.consent_forms(),
            Action::PrintSheet => match self.evaluation() {
                Some(e) => {
                    let lang = self.document_language();
                    let tr = Tr::new(lang);
                    let text =
                        crate::print::sheet::render(e, &self.rules, self.center.as_deref(), &tr);
                    Outcome::command(Command::PrintSheet(text))
                }
                None => Outcome::unchanged(),
            },
            Action::ResumeOffered => match self.offered_draft.take() {
                Some(draft) => Outcome::command(Command::ResumeDraft(draft.id)),
                None => Outcome::unchanged(),
            },
            Action::Expand | Action::Collapse | Action::Mark | Action::ClearMark => {
                Outcome::unchanged()
            }
            // Lookup keys outside the lookup screen (the table scopes them there).
            Action::CycleStatusFilter
            | Action::CyclePeriod
            | Action::CycleListing
            | Action::NextApplication
            | Action::PreviousApplication
            | Action::ChangeStatus
            | Action::RevokeConsent => Outcome::unchanged(),
            Action::Lock => self.lock(),
        }
    }

    /// Takes over what the database knows of the IIN typed: a recorded applicant fills the
    /// fields still empty (nothing typed is overwritten); an open application or another open
    /// draft is pointed out, with Ctrl+O to resume the draft instead of starting a duplicate.
    fn iin_known(&mut self, known: IinKnown) -> Outcome {
        if self.case.get(FieldId::Iin) != known.iin {
            return Outcome::unchanged(); // the IIN changed meanwhile
        }
        let mut commands = Vec::new();
        if let Some(a) = &known.applicant {
            let birth = a
                .birth_date
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .map(|d| d.format("%d.%m.%Y").to_string());
            for (id, value) in [
                (FieldId::Surname, Some(a.surname.clone())),
                (FieldId::GivenName, Some(a.given_name.clone())),
                (FieldId::Patronymic, a.patronymic.clone()),
                (FieldId::BirthDate, birth),
                (FieldId::Sex, a.sex.clone()),
                (FieldId::Status, Some(a.status.clone())),
                (FieldId::Capacity, Some(a.capacity.clone())),
            ] {
                if let Some(value) = value
                    && !self.case.has(id)
                {
                    self.case.set(id, value);
                }
            }
            self.intake.focus_on(&self.case, self.intake.focus);
            self.refresh();
            self.show_notice(Message::new("intake.known_applicant"));
            commands.push(Command::SaveDraftNow);
        }
        if let Some((number, status)) = known.applications.first() {
            self.show_notice(
                Message::new("intake.open_application")
                    .arg("number", number)
                    .arg_key(
                        "status",
                        crate::core::ApplicationStatus::from_code(status)
                            .map_or("checklist.none", |s| s.message_key()),
                    ),
            );
        }
        self.offered_draft = known
            .drafts
            .iter()
            .find(|d| Some(d.id) != self.draft_id)
            .cloned();
        if let Some(draft) = &self.offered_draft {
            self.show_notice(Message::new("intake.open_draft").arg("when", &draft.when));
        }
        Outcome {
            redraw: true,
            commands,
        }
    }

    /// Enter on the gate goes to what is missing; on the submitted number, to the next person.
    fn overlay_enter(&mut self) -> Outcome {
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
            submit::Gap::Decision => self.screen = Screen::Checklist,
            submit::Gap::Field(id, _) => {
                self.screen = Screen::Intake;
                self.intake.reveal_all(&self.case);
                self.intake.focus_on(&self.case, *id);
            }
            submit::Gap::Questions => {
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
            submit::Gap::Document(id) => {
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
            submit::Gap::Consent(key) => {
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

    /// The consent forms of the case, pre-filled for signature, in the language of the papers.
    fn consent_forms(&self) -> Outcome {
        match self.evaluation() {
            Some(e) if !e.consents.is_empty() => {
                let tr = Tr::new(self.document_language());
                let text = consents::forms_text(
                    &self.case,
                    e,
                    &self.rules,
                    self.center.as_deref(),
                    self.session.training,
                    &tr,
                );
                Outcome::command(Command::PrintConsentForms(text))
            }
            _ => Outcome::unchanged(),
        }
    }

    /// After a submission: a new, empty case for the next person.
    fn next_person(&mut self) -> Outcome {
        self.overlay = None;
        self.load_case(Case::default(), None);
        Outcome::command(Command::NewCase)
    }

    /// Text into the editor open over the current screen.
    fn type_in_editor(&mut self, text: &str) {
        if self.screen == Screen::Lookup {
            if let Some(editor) = self.lookup.record.as_mut().and_then(|r| r.editor.as_mut()) {
                editor.type_text(text);
            }
        } else if self.screen == Screen::Consent {
            if let Some(editor) = self.consents.editor.as_mut() {
                editor.type_text(text);
            }
        } else if let Some(editor) = self.checklist.editor.as_mut() {
            editor.type_text(text);
        }
    }

    /// The consent screen's list: move, or open the selected consent (the applicant's own
    /// personal-data consent comes filled in from the intake).
    fn consent_key(&mut self, action: Action) -> Outcome {
        let Some(evaluation) = self.evaluation() else {
            return Outcome::unchanged();
        };
        let required = consents::lines(evaluation, &self.case.consents);
        match action {
            Action::ListUp => {
                self.consents.up();
            }
            Action::ListDown => {
                self.consents.down(required.len());
            }
            _ => {
                let Some(r) = required.get(self.consents.selected) else {
                    return Outcome::unchanged();
                };
                let mut editor = consents::ConsentEditor::new(
                    &r.key,
                    &r.party,
                    self.case.consents.get(&r.key),
                    self.today,
                );
                if r.party == "applicant" && !self.case.consents.contains_key(&r.key) {
                    editor.prefill(
                        self.case.get(FieldId::Surname),
                        self.case.get(FieldId::GivenName),
                        self.case.get(FieldId::Patronymic),
                        self.case.get(FieldId::Iin),
                    );
                }
                self.consents.editor = Some(editor);
            }
        }
        Outcome::redraw()
    }

    /// Saves the consent being edited. One person, one record: the IINs of the other records
    /// (and, for the owner's and co-owners' consents, the applicant's) may not come again.
    fn save_consent(&mut self) -> Outcome {
        let Some(editor) = self.consents.editor.as_mut() else {
            return Outcome::unchanged();
        };
        let key = editor.key.clone();
        let mut others: Vec<String> = self
            .case
            .consents
            .iter()
            .filter(|(k, r)| **k != key && !r.iin.is_empty())
            .map(|(_, r)| r.iin.clone())
            .collect();
        if consents::is_dwelling_consent(key.split('#').next().unwrap_or("")) {
            others.push(self.case.get(FieldId::Iin).to_owned());
        }
        let operator = self.session.operator.clone().unwrap_or_default();
        let Some(record) = editor.finish(self.today, &operator, &others) else {
            return Outcome::redraw();
        };
        let mut commands = vec![Command::SaveDraftNow];
        if editor.revokes(&record) {
            let details = serde_json::json!({ "consent": key }).to_string();
            commands.push(Command::Audit("consent.revoke".into(), details));
        }
        self.consents.editor = None;
        self.case.consents.insert(key, record);
        self.refresh();
        Outcome {
            redraw: true,
            commands,
        }
    }

    fn checklist_key(&mut self, action: Action) -> Outcome {
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

    fn move_in_drafts(&mut self, down: bool) -> Outcome {
        let Some(drafts) = self.drafts_offered_mut() else {
            return Outcome::unchanged();
        };
        let last = drafts.items.len().saturating_sub(1);
        drafts.selected = if down {
            (drafts.selected + 1).min(last)
        } else {
            drafts.selected.saturating_sub(1)
        };
        drafts.confirm = None;
        Outcome::redraw()
    }

    fn discard_draft(&mut self) -> Outcome {
        let Some(drafts) = self.drafts_offered_mut() else {
            return Outcome::unchanged();
        };
        let Some(id) = drafts.selected().map(|d| d.id) else {
            return Outcome::unchanged();
        };
        if drafts.confirm != Some(id) {
            drafts.confirm = Some(id);
            return Outcome::redraw();
        }
        drafts.items.retain(|d| d.id != id);
        drafts.selected = drafts.selected.min(drafts.items.len().saturating_sub(1));
        drafts.confirm = None;
        if drafts.items.is_empty() {
            self.overlay = None;
        }
        Outcome::command(Command::DiscardDraft(id))
    }

    fn go_to(&mut self, screen: Screen) -> Outcome {
        if self.screen == screen {
            return Outcome::unchanged();
        }
        let mut commands = Vec::new();
        if self.screen == Screen::Intake {
            // The case moves on: every problem of the form is shown from now on.
            self.intake.reveal_all(&self.case);
            commands.push(Command::SaveDraftNow);
        }
        self.screen = screen;
        self.notice = None;
        Outcome {
            redraw: true,
            commands,
        }
    }

    /// Scrolls help; the view clamps the offset to the content, so any value is safe here.
    fn scroll_help(&mut self, change: impl FnOnce(u16) -> u16) -> Outcome {
        let Some(Overlay::Help(help, _)) = self.overlay.as_mut() else {
            return Outcome::unchanged();
        };
        let scroll = change(help.scroll).min(help::line_count());
        if scroll == help.scroll {
            return Outcome::unchanged();
        }
        help.scroll = scroll;
        Outcome::redraw()
    }
}

#[cfg(test)]
pub(crate) mod tests;
