//! The effects: each command the state asks for, run against the store, the workers and the
//! printer, its result sent back to the state as a message.

use std::time::Instant;

use super::drafts::{DRAFT_DELAY, case_from_json, draft_rows, draft_summary};
use super::event_loop::Wake;
use crate::cli::Cli;
use crate::i18n::Message;
use crate::paths;
use crate::rules::{ActiveRules, loader};
use crate::store::DRAFT_FORM;
use crate::store::Store;
use crate::ui::{AppState, Command, Msg};

/// What commands act on.
pub(super) struct Effects<'a> {
    pub(super) cli: &'a Cli,
    pub(super) rules: &'a mut ActiveRules,
    pub(super) store: &'a mut Store,
    /// The operator of the session, whose drafts these are.
    pub(super) operator_id: Option<i64>,
    /// When the case must be saved as a draft (a second after the last keystroke).
    pub(super) draft_due: Option<Instant>,
    /// Where workers report back to the loop.
    pub(super) wake: std::sync::mpsc::Sender<Wake>,
    /// A reload is running on its worker: another Ctrl+R waits for it.
    pub(super) reloading: bool,
    /// The lookup workers started, to be joined (their connections closed) before the desk
    /// closes its own.
    pub(super) workers: Vec<std::thread::JoinHandle<()>>,
    /// Told after every command (which may have written).
    pub(super) checkpoints: Option<crate::checkpointer::Checkpointer>,
    /// The lookup worker's queue, once the lookup screen asked for it.
    pub(super) lookup_jobs: Option<std::sync::mpsc::Sender<crate::ui::lookup::LookupJob>>,
    /// Idle time after which the desk locks (`None`: never).
    pub(super) lock_after: Option<std::time::Duration>,
    /// When the operator last pressed a key.
    pub(super) last_input: Instant,
    /// What the effects found, on its way back to the state: every result comes back as a
    /// message through this queue, and what its update asks for is run in turn.
    pub(super) replies: std::collections::VecDeque<Msg>,
}

/// A paper's file name: its kind and the application it belongs to (the number just given, or
/// the record open), else the case's draft (`consents-draft-12`); a reprint replaces it.
fn paper_name(state: &AppState, kind: &str) -> String {
    let record = state
        .lookup
        .record
        .as_ref()
        .filter(|_| state.screen == crate::ui::Screen::Lookup)
        .map(|r| r.record.application.number.as_str());
    match (state.submitted().or(record), state.draft_id) {
        (Some(number), _) => format!("{kind}-{number}"),
        (None, Some(draft)) => format!("{kind}-draft-{draft}"),
        (None, None) => format!("{kind}-{}", chrono::Local::now().format("%Y%m%d-%H%M%S")),
    }
}

impl Effects<'_> {
    /// Submits the application: its draft is saved first (the submission is keyed by it, so a
    /// second press finds the same application), then one store transaction.
    pub(super) fn submit(&mut self, state: &AppState, mut submission: crate::store::Submission) {
        // A case never saved yet is saved now: the application is keyed by its draft.
        let Some(draft_id) = state.draft_id.or_else(|| self.save_draft(state)) else {
            self.reply(Msg::Notice(crate::ui::submit::failed()));
            return;
        };
        submission.draft_id = draft_id;
        submission.operator = self.operator_id;
        match self.store.submit(&submission) {
            Ok(done) => {
                self.draft_due = None;
                tracing::info!(already = done.already, "application submitted");
                self.reply(Msg::Submitted {
                    number: done.number,
                    already: done.already,
                });
            }
            Err(error) => {
                tracing::error!(kind = error.message_key(), "application not submitted");
                self.reply(Msg::Notice(crate::ui::submit::failed()));
            }
        }
    }

    /// Closes the case as "registration not required": its draft is saved first (the closed
    /// case is keyed by it, so a second press finds the same one), then one store transaction.
    pub(super) fn close_case(&mut self, state: &AppState, mut closing: crate::store::Closing) {
        let Some(draft_id) = state.draft_id.or_else(|| self.save_draft(state)) else {
            self.reply(Msg::Notice(Message::new("close.failed")));
            return;
        };
        closing.draft_id = draft_id;
        closing.operator = self.operator_id;
        match self.store.close_case(&closing) {
            Ok(closed) => {
                self.draft_due = None;
                tracing::info!(already = closed.already, "case closed as not required");
                self.reply(Msg::CaseClosed {
                    id: closed.id,
                    already: closed.already,
                });
            }
            Err(error) => {
                tracing::error!(kind = error.message_key(), "case not closed");
                self.reply(Msg::Notice(Message::new("close.failed")));
            }
        }
    }

    /// Writes the sheet into the documents folder beside the database (readable by its owner
    /// only), sends it to `lp` where there is one, audits the print, and says where it is.
    pub(super) fn print_sheet(&mut self, state: &AppState, paper: &crate::print::Paper) {
        let name = paper_name(state, "checklist");
        let details = serde_json::json!({ "paper": "checklist", "file": name }).to_string();
        self.print_paper(state, &name, "print.checklist", &details, paper);
    }

    /// The receipt of a submitted application, read back from the store (what is printed is
    /// what was saved), in the person's language.
    pub(super) fn print_receipt(
        &mut self,
        state: &AppState,
        number: &str,
        lang: crate::i18n::Lang,
    ) {
        let application = match self.store.application(number) {
            Ok(Some(application)) => application,
            Ok(None) => {
                self.reply(Msg::Notice(
                    Message::new("receipt.not_found").arg("number", number),
                ));
                return;
            }
            Err(error) => {
                tracing::error!(kind = error.message_key(), "receipt not read");
                self.reply(Msg::Notice(
                    Message::new("receipt.not_read").arg("number", number),
                ));
                return;
            }
        };
        let printing = crate::print::receipt::Printing {
            operator: state.session.operator.as_deref(),
            training: state.session.training,
        };
        let paper = crate::print::receipt::render(
            &application,
            &state.rules,
            state.center.as_deref(),
            &printing,
            &crate::i18n::Tr::new(lang),
        );
        let name = format!("receipt-{number}");
        let details =
            serde_json::json!({ "paper": "receipt", "number": number, "file": name }).to_string();
        self.print_paper(state, &name, "print.receipt", &details, &paper);
    }

    /// Writes a paper (`name`.txt and `name`.pdf) into the documents folder beside the database
    /// (readable by its owner only), audits it, sends it to the printer where there is one,
    /// and says where it is.
    pub(super) fn print_paper(
        &mut self,
        state: &AppState,
        name: &str,
        action: &str,
        details: &str,
        paper: &crate::print::Paper,
    ) {
        let dir = paths::documents_dir(self.store.path());
        // The text for any printer and the PDF (A4, embedded font) beside it; lp gets the PDF.
        let text_path = dir.join(format!("{name}.txt"));
        let path = dir.join(format!("{name}.pdf"));
        let mark = state
            .session
            .training
            .then(|| crate::i18n::Tr::new(state.document_language()).t("print.training_mark"));
        // Every page names the paper and its number: "receipt-RD-2026-000001 · стр. 1 из 1".
        let footer = crate::i18n::Tr::new(state.document_language())
            .f("print.footer", &[("reference", name)]);
        let text = paper.to_text();
        let pdf = crate::print::pdf::render(paper, mark.as_deref(), Some(&footer));
        let written = crate::print::create_private_dir(&dir)
            .and_then(|_| crate::print::write_private(&text_path, text.as_bytes()))
            .and_then(|_| crate::print::write_private(&path, &pdf));
        let shown = paths::display_path(&path);
        if let Err(error) = written {
            tracing::error!(%error, "paper not written");
            self.reply(Msg::Notice(
                Message::new("print.not_written").arg("path", shown),
            ));
            return;
        }
        if let Err(error) = self
            .store
            .append_audit(self.operator_id, action, None, details)
        {
            tracing::error!(kind = error.message_key(), "print not audited");
        }
        let key = match crate::platform::print(&path) {
            crate::platform::Printed::Sent => "print.sent",
            crate::platform::Printed::Opened => "print.opened",
            crate::platform::Printed::Failed => "print.printer_failed",
            crate::platform::Printed::NoPrinter => "print.no_printer",
        };
        self.reply(Msg::Notice(Message::new(key).arg("path", shown)));
    }

    /// Saves the case as its draft now; the new draft id comes back as a message (and is
    /// returned, for a command that needs it at once).
    pub(super) fn save_draft(&mut self, state: &AppState) -> Option<i64> {
        self.draft_due = None;
        if state.case.is_empty() && state.draft_id.is_none() {
            return None;
        }
        // A case submitted or closed is finished while its number is shown: quitting or
        // locking there must not save it again as a new draft.
        if state.done() {
            return None;
        }
        // The rule set the case was evaluated with travels with it.
        let stamp = state.evaluation().map(|e| {
            format!(
                "{} {} {}",
                e.ruleset.id, e.ruleset.version, e.ruleset.sha256
            )
        });
        let data = crate::case::draft::encode(&state.case, stamp);
        match self
            .store
            .save_draft(state.draft_id, DRAFT_FORM, &data, self.operator_id)
        {
            Ok(id) => {
                self.reply(Msg::DraftSaved(id));
                Some(id)
            }
            Err(error) => {
                tracing::error!(kind = error.message_key(), "draft not saved");
                self.reply(Msg::Notice(Message::new("drafts.not_saved")));
                None
            }
        }
    }

    /// Gives `msg` to the state and runs what its update asks for: (redraw, quit).
    pub(super) fn deliver(&mut self, msg: Msg, state: &mut AppState) -> (bool, bool) {
        let outcome = state.update(msg);
        let mut redraw = outcome.redraw;
        for command in outcome.commands {
            if self.run(command, state) {
                return (true, true);
            }
            redraw = true;
        }
        (redraw, false)
    }

    /// Queues what an effect found for the state (see [`Effects::run`]).
    pub(super) fn reply(&mut self, msg: Msg) {
        self.replies.push_back(msg);
    }

    /// Runs `command`, then feeds what it found back through the state, running what those
    /// updates ask for in turn, until nothing is left: no result is dropped. True: quit.
    pub(super) fn run(&mut self, command: Command, state: &mut AppState) -> bool {
        let quit = self.run_one(command, state);
        if let Some(checkpoints) = &self.checkpoints {
            checkpoints.wrote();
        }
        if quit {
            return true;
        }
        self.drain(state)
    }

    /// Gives the state everything the effects found, running what each update asks for.
    /// True: quit.
    pub(super) fn drain(&mut self, state: &mut AppState) -> bool {
        while let Some(msg) = self.replies.pop_front() {
            let outcome = state.update(msg);
            for command in outcome.commands {
                if self.run(command, state) {
                    return true;
                }
            }
        }
        false
    }

    pub(super) fn run_one(&mut self, command: Command, state: &AppState) -> bool {
        match command {
            Command::Quit => {
                self.save_draft(state);
                self.end_of_session(state, "quit");
                return true;
            }
            Command::LanguageChanged(lang) => tracing::info!(%lang, "language switched"),
            Command::ReloadRules => self.start_reload(),
            Command::SaveDraftSoon => {
                self.draft_due
                    .get_or_insert_with(|| Instant::now() + DRAFT_DELAY);
            }
            Command::SaveDraftNow => {
                self.save_draft(state);
            }
            // The state started the new case (its draft id is cleared there): no save is due.
            Command::NewCase => self.draft_due = None,
            Command::ResumeDraft(id) => match self.store.draft(id) {
                Ok(Some(data)) => {
                    self.reply(Msg::DraftLoaded(id, case_from_json(&data)));
                }
                Ok(None) => self.reply(Msg::Notice(Message::new("drafts.gone"))),
                Err(error) => {
                    tracing::error!(kind = error.message_key(), "draft not read");
                    self.reply(Msg::Notice(Message::new("drafts.not_read")));
                }
            },
            Command::LookUpRepresentative(iin) => match self.store.find_by_iin(&iin) {
                Ok(found) => {
                    if let Some(person) = found.applicant {
                        let name = crate::records::full_name(
                            &person.surname,
                            &person.given_name,
                            person.patronymic.as_deref(),
                        );
                        self.reply(Msg::RepresentativeKnown { iin, name });
                    }
                }
                Err(error) => tracing::error!(kind = error.message_key(), "IIN not looked up"),
            },
            Command::LookUpIin(iin) => {
                let found = self.store.find_by_iin(&iin);
                // The drafts typed for this IIN, each read as a case (not searched as text).
                let drafts = self.store.drafts(DRAFT_FORM, self.operator_id).map(|rows| {
                    rows.into_iter()
                        .filter(|(_, _, data)| crate::case::draft::iin(data) == iin)
                        .collect::<Vec<_>>()
                });
                match (found, drafts) {
                    (Ok(found), Ok(drafts)) => {
                        let known = crate::ui::IinKnown {
                            iin,
                            applicant: found.applicant,
                            applications: found.open_applications,
                            registered: found.registered,
                            drafts: drafts.iter().map(draft_summary).collect(),
                        };
                        self.reply(Msg::IinKnown(Box::new(known)));
                    }
                    (Err(error), _) | (_, Err(error)) => {
                        tracing::error!(kind = error.message_key(), "IIN not looked up");
                    }
                }
            }
            Command::PrintSheet(paper) => self.print_sheet(state, &paper),
            Command::Submit(submission) => self.submit(state, *submission),
            Command::CloseCase(closing) => self.close_case(state, *closing),
            Command::PrintNote { id, paper } => {
                let name = format!("note-not-required-{id}");
                let details =
                    serde_json::json!({ "paper": "note_not_required", "closed_case": id, "file": name })
                        .to_string();
                self.print_paper(state, &name, "print.note", &details, &paper);
            }
            Command::PrintConsentForms(paper) => {
                let name = paper_name(state, "consents");
                let details =
                    serde_json::json!({ "paper": "consent_forms", "file": name }).to_string();
                self.print_paper(state, &name, "print.consent_forms", &details, &paper);
            }
            Command::PrintReceipt { number, lang } => self.print_receipt(state, &number, lang),
            Command::Lookup(job) => self.lookup(state, *job),
            Command::SignIn(request) => self.sign_in(request),
            Command::SignOut => {
                self.save_draft(state);
                self.audit(state, "logout", "{}");
                self.operator_id = None;
                self.store.set_actor(None);
                // A new operator gets a worker of their own (their drafts in the results).
                self.lookup_jobs = None;
                self.reply(Msg::SignedOut);
            }
            Command::Locked => self.audit(state, "session.lock", "{}"),
            Command::Refused(what) => {
                let details = serde_json::json!({ "what": what }).to_string();
                self.audit(state, "permission.refused", &details);
            }
            Command::OpenRecord(number) => self.open_record(&number, true),
            Command::ChangeStatus(mut request) => {
                request.operator = self.operator_id;
                match self.store.change_status(&request) {
                    Ok(outcome) => {
                        tracing::info!(to = request.to.code(), "status change asked");
                        self.reply(Msg::Notice(outcome.message()));
                        self.open_record(&request.number, false);
                        self.reply(Msg::LookupStale);
                    }
                    Err(error) => {
                        tracing::error!(kind = error.message_key(), "status not changed");
                        self.reply(Msg::Notice(Message::new("lookup.not_saved")));
                    }
                }
            }
            Command::RevokeConsent {
                number,
                consent,
                reason,
            } => match self
                .store
                .revoke_consent_by(consent, &reason, self.operator_id)
            {
                Ok(outcome) => {
                    self.reply(Msg::Notice(outcome.message()));
                    self.open_record(&number, false);
                }
                Err(error) => {
                    tracing::error!(kind = error.message_key(), "consent not revoked");
                    self.reply(Msg::Notice(Message::new("lookup.not_saved")));
                }
            },
            Command::LoadDue { follow_ups, days } => {
                match self.store.due_registrations(state.today, days, follow_ups) {
                    Ok(due) => {
                        self.reply(Msg::DueLoaded(due));
                    }
                    Err(error) => {
                        tracing::error!(kind = error.message_key(), "due list not read");
                        self.reply(Msg::Notice(Message::new("lookup.failed")));
                    }
                }
            }
            Command::LoadAudit(query) => self.load_audit(state, &query),
            Command::LoadAccounts => {
                let listed = self
                    .store
                    .require(crate::core::Permission::ManageOperators)
                    .and_then(|()| self.store.operators());
                match listed {
                    Ok(accounts) => self.reply(Msg::AccountsLoaded(accounts)),
                    Err(error) => {
                        tracing::error!(kind = error.message_key(), "accounts not read");
                        self.reply(Msg::Notice(Message::new("lookup.failed")));
                    }
                }
            }
            Command::ChangeAccount(change) => {
                // The store checks the role again and audits the change as this operator.
                let made = self
                    .store
                    .require(crate::core::Permission::ManageOperators)
                    .map_err(crate::store::AccountFailure::from)
                    .and_then(|()| self.store.change_account(&change, self.operator_id));
                match made {
                    Ok(()) => {
                        tracing::info!("account changed");
                        self.reply(Msg::AccountChanged(change.done()));
                        if let Ok(accounts) = self.store.operators() {
                            self.reply(Msg::AccountsLoaded(accounts));
                        }
                    }
                    Err(failure) => self.reply(Msg::AccountRefused(failure.message())),
                }
            }
            Command::LoadCenter => self.load_center(),
            Command::SaveCenter(fields) => self.save_center(&fields),
            Command::LoadSummary(day) => {
                let (from, until) = crate::clock::local_day_bounds(day);
                match self.store.daily_report(day, &from, &until) {
                    Ok(report) => {
                        self.reply(Msg::SummaryLoaded(Box::new(report)));
                    }
                    Err(error) => {
                        tracing::error!(kind = error.message_key(), "summary not read");
                        self.reply(Msg::Notice(Message::new("lookup.failed")));
                    }
                }
            }
            Command::Audit(action, details) => {
                if let Err(error) =
                    self.store
                        .append_audit(self.operator_id, &action, None, &details)
                {
                    tracing::error!(kind = error.message_key(), "audit row not written");
                }
            }
            Command::ResetTraining(seeded) => match self.store.reset_training(&seeded) {
                Ok(count) => {
                    // The case on screen had its draft in the database: none is due now.
                    self.draft_due = None;
                    self.reply(Msg::TrainingReset(count));
                }
                Err(error) => {
                    tracing::error!(kind = error.message_key(), "training database not reset");
                    self.reply(Msg::Notice(Message::new("training.reset.failed")));
                }
            },
            Command::DiscardDraft(id) => {
                if let Err(error) = self.store.delete_draft(id) {
                    tracing::error!(kind = error.message_key(), "draft not discarded");
                }
                self.reply(Msg::Notice(Message::new("drafts.discarded")));
            }
        }
        false
    }

    /// Reads the audit trail for the viewer: each word of the box a login, an action's
    /// start, or an applicant (IIN or application number). Reading it is audited too.
    /// Checks and writes the center profile (administrators; audited), then reads it again.
    fn save_center(&mut self, fields: &crate::center::CenterFields) {
        let refused = if self.store.kind() == crate::store::DatabaseKind::Training {
            Err(crate::store::StoreError::WrongKind {
                path: self.store.path().to_path_buf(),
                training: true,
            })
        } else {
            self.store.require(crate::core::Permission::ManageOperators)
        };
        if let Err(error) = refused {
            tracing::warn!(kind = error.message_key(), "center profile not saved");
            self.reply(Msg::Notice(Message::new("lookup.not_saved")));
            return;
        }
        match crate::center::save(&crate::center::default_path(), fields) {
            Ok(profile) => {
                tracing::info!("center profile saved");
                if let Err(error) =
                    self.store
                        .append_audit(self.operator_id, "center.save", None, "{}")
                {
                    tracing::error!(kind = error.message_key(), "audit row not written");
                }
                self.reply(Msg::CenterSaved(Box::new(profile)));
                self.load_center();
            }
            Err(problem) => {
                let field = match &problem {
                    crate::center::SaveProblem::Invalid { field, .. } => Some(*field),
                    _ => None,
                };
                self.reply(Msg::CenterRefused {
                    field,
                    message: problem.message(),
                });
            }
        }
    }

    /// The center profile's file as the desk shows it: its values, or what is wrong.
    fn load_center(&mut self) {
        let path = crate::center::default_path();
        let mut info = crate::ui::lookup::CenterInfo {
            path: crate::i18n::printable(&path.display().to_string()),
            ..Default::default()
        };
        match crate::center::load(&path) {
            Ok(profile) => info.fields = Some(crate::center::CenterFields::of(&profile)),
            Err(problems) => info.problems = problems,
        }
        self.reply(Msg::CenterLoaded(Box::new(info)));
    }

    pub(super) fn load_audit(&mut self, state: &AppState, query: &crate::ui::lookup::AuditQuery) {
        use crate::core::LookupQuery;
        let mut filter = crate::store::AuditFilter {
            from: query.from.clone(),
            ..Default::default()
        };
        for word in &query.words {
            let parsed = LookupQuery::parse(word);
            match parsed {
                LookupQuery::Iin(_) | LookupQuery::Number(_) => {
                    let ids = self.store.applications_of(&parsed).unwrap_or_default();
                    filter.applications.get_or_insert_with(Vec::new).extend(ids);
                }
                _ if word.contains('.')
                    || crate::ui::lookup::AUDIT_ACTIONS.contains(&word.to_lowercase().as_str()) =>
                {
                    filter.action = Some(word.to_lowercase());
                }
                _ => filter.operator = Some(word.to_lowercase()),
            }
        }
        match self.store.audit_rows(&filter, 300) {
            Ok(rows) => {
                self.reply(Msg::AuditLoaded(rows));
                if query.opened {
                    self.audit(state, "audit.view", "{}");
                }
            }
            Err(error) => {
                tracing::error!(kind = error.message_key(), "audit not read");
                self.reply(Msg::Notice(Message::new("lookup.failed")));
            }
        }
    }

    /// The desk closes with an operator signed in: their session ends on the record.
    pub(super) fn end_of_session(&mut self, state: &AppState, how: &str) {
        if self.operator_id.is_some() {
            let details = serde_json::json!({ "how": how }).to_string();
            self.audit(state, "logout", &details);
        }
    }

    /// An audit row by the signed-in operator; a failure is logged, not shown.
    pub(super) fn audit(&mut self, _state: &AppState, action: &str, details: &str) {
        if let Err(error) = self
            .store
            .append_audit(self.operator_id, action, None, details)
        {
            tracing::error!(kind = error.message_key(), "audit row not written");
        }
    }

    /// Signs in, creates the first administrator, or unlocks; the drafts of a new operator
    /// are offered once they are in.
    pub(super) fn sign_in(&mut self, request: crate::ui::sign_in::SignInRequest) {
        let mut replies = Vec::new();
        let signed_in = crate::opening::sign_in_on(self.store, &mut replies, request);
        self.replies.extend(replies);
        let Some(operator) = signed_in else {
            return;
        };
        let new = self.operator_id != Some(operator.id);
        self.operator_id = Some(operator.id);
        if new {
            match self.store.drafts(DRAFT_FORM, self.operator_id) {
                Ok(rows) => {
                    self.reply(Msg::DraftsFound(rows.iter().map(draft_summary).collect()));
                }
                Err(error) => tracing::warn!(%error, "drafts not listed"),
            }
        }
    }

    /// Sends a query to the lookup worker, starting it (with its own read-only connection)
    /// the first time.
    pub(super) fn lookup(&mut self, state: &AppState, job: crate::ui::lookup::LookupJob) {
        // Looking a person up by their identifiers is on the record (a name prefix typed
        // letter by letter is recorded when a record is opened from it).
        if job.after.is_none()
            && let Some(details) = job.query.audit_details()
        {
            self.audit(state, "lookup", &details);
        }
        if self.lookup_jobs.is_none() {
            match self.store.open_reader() {
                Ok(reader) => {
                    let (jobs, thread) = crate::lookup_worker::spawn(
                        reader,
                        self.operator_id,
                        self.wake.clone(),
                        Wake::Found,
                        draft_rows,
                    );
                    self.lookup_jobs = Some(jobs);
                    self.workers.extend(thread);
                }
                Err(error) => {
                    tracing::error!(kind = error.message_key(), "lookup worker not started");
                    self.reply(Msg::Notice(Message::new("lookup.failed")));
                    return;
                }
            }
        }
        if let Some(jobs) = &self.lookup_jobs
            && jobs.send(job).is_err()
        {
            self.lookup_jobs = None;
            self.reply(Msg::Notice(Message::new("lookup.failed")));
        }
    }

    /// Reads an application for the record view; opening one (not reading it again after a
    /// change) is audited, with its number only.
    pub(super) fn open_record(&mut self, number: &str, audited: bool) {
        match self.store.record(number) {
            Ok(record) => {
                if audited && let Some(r) = &record {
                    let details = serde_json::json!({ "number": number }).to_string();
                    if let Err(error) = self.store.append_audit(
                        self.operator_id,
                        "application.open",
                        Some(("application", r.id)),
                        &details,
                    ) {
                        tracing::error!(kind = error.message_key(), "record open not audited");
                    }
                }
                self.reply(Msg::RecordLoaded(record.map(Box::new)));
            }
            Err(error) => {
                tracing::error!(kind = error.message_key(), "record not read");
                self.reply(Msg::Notice(Message::new("lookup.failed")));
            }
        }
    }

    /// Reads and checks the rule files on a worker thread, so a slow or hostile set never
    /// freezes the screen; the result comes back as [`Wake::RulesLoaded`].
    pub(super) fn start_reload(&mut self) {
        if self.reloading {
            return;
        }
        self.reloading = true;
        let dir = self.cli.rules.clone();
        let wake = self.wake.clone();
        std::thread::spawn(move || {
            let loaded = loader::load(dir.as_deref()).map(|loaded| loaded.set);
            let _ = wake.send(Wake::RulesLoaded(Box::new(loaded)));
        });
    }

    /// Takes a reloaded set; on errors the current set stays and the notice says why.
    pub(super) fn rules_loaded(
        &mut self,
        loaded: Result<crate::rules::RuleSet, Vec<crate::rules::RuleError>>,
    ) {
        self.reloading = false;
        let dir = self.cli.rules.as_deref();
        match self.rules.take(loaded) {
            Ok(_) => {
                tracing::info!(rules = %self.rules.label(), "rule set reloaded");
                self.reply(Msg::RulesReloaded(self.rules.shared(), self.rules.label()));
                self.reply(Msg::Notice(
                    Message::new("rules.reloaded").arg("rules", self.rules.label()),
                ));
            }
            Err(errors) => {
                tracing::warn!(
                    count = errors.len(),
                    "rule set reload refused, keeping the current one"
                );
                let first = errors.first().map_or_else(
                    || Message::new("checklist.none"),
                    |e| e.clone().in_folder(dir).to_message(),
                );
                self.reply(Msg::Notice(
                    Message::new("rules.not_reloaded")
                        .arg("count", errors.len())
                        .arg_message("first", first)
                        .arg("rules", self.rules.label()),
                ));
            }
        }
    }
}
