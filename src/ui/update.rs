//! [`AppState::update`]: one input in, a new state and an [`Outcome`] out. Keys go through
//! the keymap to an [`Action`] for the input context; the open form takes its keys first,
//! then the screen's own modules (`checklist::keys`, `consents::keys` ...) take theirs.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::form::{self, FormEditor};
use super::keymap::{self, Action, Context};
use super::{AppState, Command, Msg, Outcome, Overlay, Screen, help};
use crate::i18n::{Message, Tr};

impl AppState {
    /// A key for the open form: every form takes the same keys alike (see `form`).
    fn form_action(&mut self, action: Action) -> Option<Outcome> {
        let form = self.open_form_mut()?;
        match form::key(form, action) {
            form::FormKey::Handled => Some(Outcome::redraw()),
            form::FormKey::Save => Some(self.save_form()),
            form::FormKey::Other => None,
        }
    }

    /// Saves the open form, each its own way.
    fn save_form(&mut self) -> Outcome {
        if self.sign_in_form().is_some() {
            return self.sign_in_now();
        }
        match self.screen {
            Screen::Consent => self.save_consent(),
            Screen::Lookup => self.save_record_editor(),
            Screen::Checklist | Screen::Intake => self.save_mark(),
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
            Msg::RepresentativeKnown { iin, name } => self.representative_known(&iin, name),
            Msg::CaseClosed { id, already } => {
                self.show(Overlay::Closed(id));
                self.draft_id = None;
                // What intake said ("F8 closes the case") is done.
                self.notice = None;
                if already {
                    self.show_notice(Message::new("close.already"));
                }
                Outcome::redraw()
            }
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
            Msg::TrainingReset(count) => self.training_was_reset(count),
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
            Msg::AccountsLoaded(accounts) => {
                self.lookup.selected = self.lookup.selected.min(accounts.len().saturating_sub(1));
                self.lookup.accounts = accounts;
                Outcome::redraw()
            }
            Msg::AccountChanged(done) => {
                self.lookup.admin_form = None;
                self.show_notice(done);
                Outcome::redraw()
            }
            Msg::CenterLoaded(info) => {
                self.lookup.center = Some(*info);
                Outcome::redraw()
            }
            Msg::CenterSaved(profile) => {
                self.center = Some(std::sync::Arc::new(*profile));
                self.lookup.admin_form = None;
                self.show_notice(Message::new("center.saved"));
                Outcome::redraw()
            }
            Msg::CenterRefused { field, message } => {
                match self.lookup.admin_form.as_mut() {
                    Some(editor) => {
                        if let Some(field) = field {
                            editor.focus = field;
                        }
                        editor.problem = Some(message);
                    }
                    None => self.show_notice(message),
                }
                Outcome::redraw()
            }
            Msg::AccountRefused(problem) => {
                match self.lookup.admin_form.as_mut() {
                    Some(editor) => editor.problem = Some(problem),
                    None => self.show_notice(problem),
                }
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
                if let Some(form) = self.open_form_mut() {
                    form.type_text(&text.replace(['\n', '\r', '\t'], " "));
                }
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
        if self.context() == Context::Search {
            self.lookup.type_text(&c.to_string());
            return self.lookup_query();
        }
        if let Some(form) = self.open_form_mut() {
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

    fn apply(&mut self, action: Action) -> Outcome {
        if action != Action::ResetTraining {
            self.reset_asked = false;
        }
        if let Some(outcome) = self.form_action(action) {
            return outcome;
        }
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
                if self.done() {
                    return self.next_person();
                } else if self.overlay.is_some() {
                    // Help gives back what it covered; Esc on the drafts starts a new case.
                    self.close_overlay();
                } else if self.screen == Screen::Consent && self.consents.editor.is_some() {
                    self.consents.editor = None;
                } else if self.screen == Screen::Lookup && self.lookup.admin_form.is_some() {
                    self.lookup.admin_form = None;
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
            Action::PageUp => self.scroll_help(|s| s.saturating_sub(help::HELP_PAGE)),
            Action::PageDown => self.scroll_help(|s| s.saturating_add(help::HELP_PAGE)),
            Action::NextOrSave | Action::SaveForm | Action::NewAccount => Outcome::unchanged(),
            Action::Submit => self.submit(),
            Action::ListUp | Action::ListDown if self.context() == Context::Gate => {
                self.move_in_gate(action == Action::ListDown)
            }
            Action::Expand
                if matches!(
                    self.context(),
                    Context::Gate | Context::Submitted | Context::Closed
                ) =>
            {
                self.overlay_enter()
            }
            Action::PrintReceipt if self.closed().is_some() => self.print_note(),
            Action::PrintReceipt => match self.submitted() {
                Some(number) => Outcome::command(Command::PrintReceipt {
                    number: number.to_owned(),
                    lang: self.document_language(),
                }),
                None => Outcome::unchanged(),
            },
            Action::FamilyCase if self.done() => {
                self.overlay = None;
                self.apply(Action::FamilyCase)
            }
            Action::ListUp | Action::ListDown | Action::Expand | Action::Mark
                if self.screen == Screen::Consent && self.drafts_offered().is_none() =>
            {
                self.consent_key(action)
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
                    let paper =
                        crate::print::sheet::render(e, &self.rules, self.center.as_deref(), &tr);
                    Outcome::command(Command::PrintSheet(paper))
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
            Action::ResetTraining => self.reset_training(),
        }
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
}
