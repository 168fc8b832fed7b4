//! What the desk shows, as plain data: [`AppState`], the case it works on and its live
//! evaluation, and which input context the screen and overlay put the keys in.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use super::checklist::ChecklistState;
use super::drafts::{DraftSummary, DraftsState};
use super::form::FormEditor;
use super::intake::fields::{FieldId, for_fact};
use super::intake::{Case, IntakeState};
use super::keymap::Context;
use super::{Overlay, Screen, consents, lookup};
use crate::i18n::{Lang, Message, Tr};
use crate::rules::{EvalOptions, Evaluation, FactTable, RuleSet, evaluate};

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
    /// Ctrl+T was pressed once in training mode: a second press resets the database.
    pub reset_asked: bool,
    /// The lesson being played on the desk, its caption shown under the screen.
    pub lesson: Option<super::training::LessonBar>,
}

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
            reset_asked: false,
            lesson: None,
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
        let was_not_required = self.not_required();
        let represented = self.case.follow_family(self.today);
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
        self.intake.not_required = self.not_required();
        if let CaseResult::Ready(e) = &self.result {
            // Only the questions whose answer can still change what the case gets.
            self.intake.asked = e.missing.iter().cloned().collect();
            if let Some(notice) = self.checklist.follow(e, &mut self.case) {
                self.notice = Some(notice);
            }
        }
        if represented {
            self.notice = Some(Message::new("intake.family_representative"));
        }
        if !was_not_required && self.not_required() {
            // Said at once (the birth date or IIN just showed a child under 14): the operator
            // need not fill a case that will never be an application.
            let child = self
                .evaluation()
                .is_some_and(|e| e.reasons.iter().any(|r| r == "under_14"));
            self.notice = Some(Message::new(if child {
                "intake.not_required_child"
            } else {
                "intake.not_required"
            }));
        }
        self.intake.keep_focus_visible(&self.case);
    }

    /// The rules say this person needs no registration (F8 closes the case).
    pub fn not_required(&self) -> bool {
        self.evaluation()
            .is_some_and(|e| e.decision == crate::rules::Verdict::NotRequired)
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

    /// The form open over the current screen (the sign-in form, or a screen's editor).
    pub(crate) fn open_form(&self) -> Option<&dyn FormEditor> {
        if let Some(form) = self.sign_in_form() {
            return Some(form);
        }
        match self.screen {
            Screen::Checklist => self.checklist.editor.as_ref().map(|e| e as &dyn FormEditor),
            Screen::Consent => self.consents.editor.as_ref().map(|e| e as &dyn FormEditor),
            Screen::Lookup => match &self.lookup.admin_form {
                Some(editor) => Some(editor as _),
                None => self.lookup.record.as_ref()?.editor.as_ref().map(|e| e as _),
            },
            Screen::Intake => None,
        }
    }

    pub(crate) fn open_form_mut(&mut self) -> Option<&mut dyn FormEditor> {
        if self.sign_in_form().is_some() {
            return self.sign_in_form_mut().map(|f| f as &mut dyn FormEditor);
        }
        match self.screen {
            Screen::Checklist => self
                .checklist
                .editor
                .as_mut()
                .map(|e| e as &mut dyn FormEditor),
            Screen::Consent => self
                .consents
                .editor
                .as_mut()
                .map(|e| e as &mut dyn FormEditor),
            Screen::Lookup => match &mut self.lookup.admin_form {
                Some(editor) => Some(editor as _),
                None => self.lookup.record.as_mut()?.editor.as_mut().map(|e| e as _),
            },
            Screen::Intake => None,
        }
    }

    pub fn context(&self) -> Context {
        match &self.overlay {
            Some(Overlay::SignIn(..)) => return Context::SignIn,
            Some(Overlay::Help(..)) => return Context::Help,
            Some(Overlay::Drafts(_)) => return Context::Drafts,
            Some(Overlay::Gate(_)) => return Context::Gate,
            Some(Overlay::Submitted(_)) => return Context::Submitted,
            Some(Overlay::Closed(_)) => return Context::Closed,
            None => {}
        }
        if self.open_form().is_some() {
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
}
