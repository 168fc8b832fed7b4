//! The one place where side effects run: it opens the store, enters the terminal, and runs the
//! event loop, executing the [`Command`]s the UI state asks for.
//!
//! The loop draws only when the state changed, then blocks on the next terminal event: no
//! tick and no frame rate, so an idle desk uses no CPU (field laptops run on battery).

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use color_eyre::eyre::WrapErr;
use crossterm::event::{Event, KeyCode};

use crate::cli::Cli;
use crate::i18n::{Message, Tr};
use crate::input::{Input, PasteCut};
use crate::opening::Opening;
use crate::paths;
use crate::rules::{ActiveRules, loader};
use crate::store::{OpenReport, Operator, Store};
use crate::terminal::TerminalSession;
use crate::ui::drafts::DraftSummary;
use crate::ui::intake::Case;
use crate::ui::intake::fields::FieldId;
use crate::ui::{AppState, Command, Msg, SessionInfo, view};

/// color-eyre's panic and error reports, with a translated line telling the operator that
/// saved work is safe and where the log is. The terminal module chains its restoring hook in
/// front of the panic report, so the report is printed on a restored screen.
fn install_error_reports(tr: &Tr, db_path: &std::path::Path) -> color_eyre::Result<()> {
    let log = paths::log_path(db_path).display().to_string();
    color_eyre::config::HookBuilder::default()
        .panic_section(tr.f("cli.panic_advice", &[("log", &log)]))
        .display_env_section(false)
        .install()
}

/// Loads the rule set (`--rules DIR` or the built-in one); errors are printed with their
/// FILE:LINE:COLUMN and the desk does not open.
fn load_rules(
    cli: &Cli,
    loaded: Result<crate::rules::Loaded, Vec<crate::rules::RuleError>>,
) -> Result<ActiveRules, ExitCode> {
    let dir = cli.rules.as_deref();
    match loaded {
        Ok(loaded) => {
            let rules = ActiveRules::new(loaded.set);
            tracing::info!(rules = %rules.label(), sha256 = %rules.current().sha256, "rule set loaded");
            Ok(rules)
        }
        Err(errors) => {
            tracing::error!(count = errors.len(), "rule set could not be loaded");
            crate::output::print_errors(&Tr::new(cli.language()), dir, &errors);
            Err(ExitCode::FAILURE)
        }
    }
}

/// Opens the desk. Returns the process exit code; errors the operator can act on are printed
/// as translated one-line messages, never as backtraces.
pub fn run_desk(cli: &Cli, started: Instant) -> color_eyre::Result<ExitCode> {
    let lang = cli.language();
    let tr = Tr::new(lang);
    let db_path = paths::database_path(cli.db.as_deref(), cli.training);
    install_error_reports(&tr, &db_path)?;
    if !std::io::stdout().is_terminal() {
        return Ok(crate::open::fail(&tr, tr.t("cli.needs_terminal")));
    }
    // A real database is used by named operators only, and an encrypted one cannot even be
    // read before one signed in: it is opened by the sign-in (see `opening`). Training needs
    // no account (a classroom signs in as nobody) and its file is plain.
    // The rule set is read and checked on its own thread while the database is looked at:
    // the two are the longest steps before the first frame.
    let rules_loading = {
        let dir = cli.rules.clone();
        std::thread::spawn(move || loader::load(dir.as_deref()))
    };
    let opening = if cli.training {
        match crate::open::open_database(cli, &tr, &db_path) {
            Ok((store, report)) => Opening::Open(store, report),
            Err(code) => return Ok(code),
        }
    } else if cli.key_file.is_some() && crate::store::is_encrypted_file(&db_path) {
        // A kiosk: its key file opens the file at start; the operators still sign in.
        match crate::open::open_database(cli, &tr, &db_path) {
            Ok((store, report)) => Opening::Open(store, report),
            Err(code) => return Ok(code),
        }
    } else {
        match Opening::probe(&db_path) {
            Ok(opening) => {
                crate::open::start_log(&db_path, &tr);
                opening
            }
            Err(error) => return Ok(crate::open::fail(&tr, error.translated(&tr))),
        }
    };
    let loaded = rules_loading
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let mut rules = match load_rules(cli, loaded) {
        Ok(rules) => rules,
        Err(code) => return Ok(code),
    };
    let shown_path = paths::display_path(&db_path);
    let today = chrono::Local::now().date_naive();
    let mut state = AppState::new(
        lang,
        SessionInfo {
            database: shown_path.clone(),
            operator: None,
            training: cli.training,
            rules: rules.label(),
        },
        rules.shared(),
        today,
    );
    state.utc_offset = *chrono::Local::now().offset();
    // The center profile for the papers; its problems are logged, the papers say it is missing.
    state.center = match crate::center::load(&crate::center::default_path()) {
        Ok(profile) => Some(std::sync::Arc::new(profile)),
        Err(errors) => {
            tracing::warn!(count = errors.len(), "no usable center profile");
            None
        }
    };
    if !cli.training {
        match opening.mode() {
            Ok(mode) => state.sign_in = Some(crate::ui::sign_in::SignInState::new(mode)),
            Err(error) => return Ok(crate::open::fail(&tr, error.translated(&tr))),
        }
    }
    let mut session =
        TerminalSession::enter().wrap_err("cannot switch the terminal to full screen")?;
    let (wake, inbox) = std::sync::mpsc::channel();
    crate::input::spawn(wake.clone(), Wake::Input, Wake::InputEnded)
        .wrap_err("cannot read the terminal's input")?;
    let (mut store, report, operator_id) = match opening {
        Opening::Open(store, report) if cli.training => (store, report, None),
        opening => match sign_in_loop(&mut session, &mut state, &inbox, opening, started)? {
            Some((store, report, operator)) => (store, report, Some(operator.id)),
            None => return Ok(ExitCode::SUCCESS),
        },
    };
    let (session_id, unclean) = store
        .begin_session(std::process::id(), process_is_running)
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "desk session not recorded");
            (0, Vec::new())
        });
    // Drafts belong to the operator who made them: they are offered once someone is in.
    let drafts = match store.drafts(DRAFT_FORM, operator_id) {
        Ok(rows) => Some(Msg::DraftsFound(rows.iter().map(draft_summary).collect())),
        Err(error) => {
            tracing::warn!(%error, "drafts not listed");
            None
        }
    };
    // Temporary registrations that ended while the desk was closed become "expired".
    let expired = store.expire(today).unwrap_or_else(|error| {
        tracing::warn!(kind = error.message_key(), "expiry not run");
        Vec::new()
    });
    if !expired.is_empty() {
        tracing::info!(count = expired.len(), "registrations expired");
        state.show_notice(Message::new("lifecycle.expired_at_start").arg("count", expired.len()));
    }
    if !cli.training && !store.is_encrypted() {
        state.show_notice(Message::new("db.plain_notice"));
    }
    if report.created {
        state.show_notice(Message::new("db.created").arg("path", shown_path));
    }
    if let Some(last) = unclean.iter().max() {
        tracing::warn!(
            count = unclean.len(),
            "earlier desk sessions did not end cleanly"
        );
        let local = last.with_timezone(&chrono::Local).format("%d.%m.%Y %H:%M");
        state.show_notice(Message::new("session.unclean").arg("started", local));
    }
    let checkpoints = store
        .open_checkpointer()
        .map(crate::checkpointer::Checkpointer::spawn)
        .map_err(|error| tracing::warn!(kind = error.message_key(), "no checkpointer"))
        .ok();
    let mut effects = Effects {
        cli,
        rules: &mut rules,
        store: &mut store,
        operator_id,
        wake,
        reloading: false,
        draft_due: None,
        lookup_jobs: None,
        checkpoints,
        workers: Vec::new(),
        lock_after: cli.lock_after_duration(),
        last_input: Instant::now(),
        replies: std::collections::VecDeque::new(),
    };
    let quit = drafts.is_some_and(|drafts| effects.deliver(drafts, &mut state).1);
    if !quit {
        event_loop(&mut session, &mut state, &mut effects, inbox, started)?;
    }
    let checkpoints = effects.checkpoints.take();
    let workers = std::mem::take(&mut effects.workers);
    // Their queues go with the effects: the workers end and close their connections.
    drop(effects);
    for worker in workers {
        let _ = worker.join();
    }
    drop(session);
    if session_id != 0
        && let Err(error) = store.end_session(session_id)
    {
        tracing::warn!(%error, "desk session end not recorded");
    }
    if let Some(checkpoints) = checkpoints {
        checkpoints.finish();
    }
    drop(store);
    tracing::info!("desk closed");
    Ok(ExitCode::SUCCESS)
}

/// Whether a process with this id is running (another desk on the same file): then its open
/// session is not "ended uncleanly". Where this cannot be asked, assume it runs, so nothing is
/// reported falsely.
fn process_is_running(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // Signal 0 only asks; EPERM means it exists but belongs to someone else.
        // SAFETY: kill with signal 0 sends nothing and touches no memory.
        let answer = unsafe { libc::kill(pid, 0) };
        answer == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// The `drafts.form` of an intake case.
use crate::store::DRAFT_FORM;

/// How long after the last keystroke the case is saved as a draft: a `kill -9` or a power
/// cut loses at most this much typing.
const DRAFT_DELAY: std::time::Duration = std::time::Duration::from_millis(800);

/// A draft as the start-up list shows it: only the masked IIN and the name are read out.
fn draft_summary(
    (id, updated_at, data): &(i64, chrono::DateTime<chrono::Utc>, String),
) -> DraftSummary {
    let case = case_from_json(data);
    let masked_iin = crate::core::Iin::parse(case.get(FieldId::Iin))
        .map(|i| i.masked())
        .unwrap_or_default();
    let name = [FieldId::Surname, FieldId::GivenName]
        .iter()
        .map(|f| case.get(*f))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    DraftSummary {
        id: *id,
        when: updated_at
            .with_timezone(&chrono::Local)
            .format("%d.%m.%Y %H:%M")
            .to_string(),
        masked_iin,
        name,
    }
}

/// Stored drafts as lookup rows, each with the IIN and full name the lookup matches.
fn draft_rows(
    drafts: &[(i64, chrono::DateTime<chrono::Utc>, String)],
) -> Vec<(DraftSummary, String, String)> {
    drafts
        .iter()
        .map(|draft| {
            let case = case_from_json(&draft.2);
            let name = [FieldId::Surname, FieldId::GivenName, FieldId::Patronymic]
                .iter()
                .map(|f| case.get(*f))
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            (
                draft_summary(draft),
                case.get(FieldId::Iin).to_owned(),
                name,
            )
        })
        .collect()
}

fn case_from_json(data: &str) -> Case {
    crate::case::draft::decode(data)
}

/// What commands act on.
struct Effects<'a> {
    cli: &'a Cli,
    rules: &'a mut ActiveRules,
    store: &'a mut Store,
    /// The operator of the session, whose drafts these are.
    operator_id: Option<i64>,
    /// When the case must be saved as a draft (a second after the last keystroke).
    draft_due: Option<Instant>,
    /// Where workers report back to the loop.
    wake: std::sync::mpsc::Sender<Wake>,
    /// A reload is running on its worker: another Ctrl+R waits for it.
    reloading: bool,
    /// The lookup workers started, to be joined (their connections closed) before the desk
    /// closes its own.
    workers: Vec<std::thread::JoinHandle<()>>,
    /// Told after every command (which may have written).
    checkpoints: Option<crate::checkpointer::Checkpointer>,
    /// The lookup worker's queue, once the lookup screen asked for it.
    lookup_jobs: Option<std::sync::mpsc::Sender<crate::ui::lookup::LookupJob>>,
    /// Idle time after which the desk locks (`None`: never).
    lock_after: Option<std::time::Duration>,
    /// When the operator last pressed a key.
    last_input: Instant,
    /// What the effects found, on its way back to the state: every result comes back as a
    /// message through this queue, and what its update asks for is run in turn.
    replies: std::collections::VecDeque<Msg>,
}

/// What the event loop wakes up for: input from the terminal, or a worker's result.
enum Wake {
    Input(Input),
    /// The terminal's input ended (its window was closed).
    InputEnded,
    /// The rule files were read and checked on the worker.
    RulesLoaded(Box<Result<crate::rules::RuleSet, Vec<crate::rules::RuleError>>>),
    /// The lookup worker answered a query.
    Found(Box<crate::ui::lookup::Found>),
}

impl Effects<'_> {
    /// Submits the application: its draft is saved first (the submission is keyed by it, so a
    /// second press finds the same application), then one store transaction.
    fn submit(&mut self, state: &AppState, mut submission: crate::store::Submission) {
        if state.draft_id.is_none() {
            self.save_draft(state);
        }
        let Some(draft_id) = state.draft_id else {
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

    /// Writes the sheet into the documents folder beside the database (readable by its owner
    /// only), sends it to `lp` where there is one, audits the print, and says where it is.
    fn print_sheet(&mut self, state: &AppState, text: &str) {
        let name = format!("checklist-{}", chrono::Local::now().format("%Y%m%d-%H%M%S"));
        let details = serde_json::json!({ "paper": "checklist", "file": name }).to_string();
        self.print_paper(state, &name, "print.checklist", &details, text);
    }

    /// The receipt of a submitted application, read back from the store (what is printed is
    /// what was saved), in the person's language.
    fn print_receipt(&mut self, state: &AppState, number: &str, lang: crate::i18n::Lang) {
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
        let text = crate::print::receipt::render(
            &application,
            &state.rules,
            state.center.as_deref(),
            &printing,
            &crate::i18n::Tr::new(lang),
        );
        let name = format!("receipt-{number}");
        let details =
            serde_json::json!({ "paper": "receipt", "number": number, "file": name }).to_string();
        self.print_paper(state, &name, "print.receipt", &details, &text);
    }

    /// Writes a paper (`name`.txt and `name`.pdf) into the documents folder beside the database
    /// (readable by its owner only), audits it, sends it to `lp` where there is one, and says
    /// where it is.
    fn print_paper(
        &mut self,
        state: &AppState,
        name: &str,
        action: &str,
        details: &str,
        text: &str,
    ) {
        let dir = paths::documents_dir(self.store.path());
        // The text for any printer and the PDF (A4, embedded font) beside it; lp gets the PDF.
        let text_path = dir.join(format!("{name}.txt"));
        let path = dir.join(format!("{name}.pdf"));
        let mark = state
            .session
            .training
            .then(|| crate::i18n::Tr::new(state.document_language()).t("print.training_mark"));
        let pdf = crate::print::pdf::from_text(text, mark.as_deref());
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
        let printed = std::process::Command::new("lp")
            .arg(&path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status();
        let key = match printed {
            Ok(status) if status.success() => "print.sent",
            Ok(_) => "print.printer_failed",
            Err(_) => "print.no_printer",
        };
        self.reply(Msg::Notice(Message::new(key).arg("path", shown)));
    }

    /// Saves the case as its draft now; the new draft id comes back as a message.
    fn save_draft(&mut self, state: &AppState) {
        self.draft_due = None;
        if state.case.is_empty() && state.draft_id.is_none() {
            return;
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
            }
            Err(error) => {
                tracing::error!(kind = error.message_key(), "draft not saved");
                self.reply(Msg::Notice(Message::new("drafts.not_saved")));
            }
        }
    }

    /// Gives `msg` to the state and runs what its update asks for: (redraw, quit).
    fn deliver(&mut self, msg: Msg, state: &mut AppState) -> (bool, bool) {
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
    fn reply(&mut self, msg: Msg) {
        self.replies.push_back(msg);
    }

    /// Runs `command`, then feeds what it found back through the state, running what those
    /// updates ask for in turn, until nothing is left: no result is dropped. True: quit.
    fn run(&mut self, command: Command, state: &mut AppState) -> bool {
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
    fn drain(&mut self, state: &mut AppState) -> bool {
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

    fn run_one(&mut self, command: Command, state: &AppState) -> bool {
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
            Command::SaveDraftNow => self.save_draft(state),
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
                            drafts: drafts.iter().map(draft_summary).collect(),
                        };
                        self.reply(Msg::IinKnown(Box::new(known)));
                    }
                    (Err(error), _) | (_, Err(error)) => {
                        tracing::error!(kind = error.message_key(), "IIN not looked up");
                    }
                }
            }
            Command::PrintSheet(text) => self.print_sheet(state, &text),
            Command::Submit(submission) => self.submit(state, *submission),
            Command::PrintConsentForms(text) => {
                let name = format!("consents-{}", chrono::Local::now().format("%Y%m%d-%H%M%S"));
                let details =
                    serde_json::json!({ "paper": "consent_forms", "file": name }).to_string();
                self.print_paper(state, &name, "print.consent_forms", &details, &text);
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
    fn load_audit(&mut self, state: &AppState, query: &crate::ui::lookup::AuditQuery) {
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
    fn end_of_session(&mut self, state: &AppState, how: &str) {
        if self.operator_id.is_some() {
            let details = serde_json::json!({ "how": how }).to_string();
            self.audit(state, "logout", &details);
        }
    }

    /// An audit row by the signed-in operator; a failure is logged, not shown.
    fn audit(&mut self, _state: &AppState, action: &str, details: &str) {
        if let Err(error) = self
            .store
            .append_audit(self.operator_id, action, None, details)
        {
            tracing::error!(kind = error.message_key(), "audit row not written");
        }
    }

    /// Signs in, creates the first administrator, or unlocks; the drafts of a new operator
    /// are offered once they are in.
    fn sign_in(&mut self, request: crate::ui::sign_in::SignInRequest) {
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
    fn lookup(&mut self, state: &AppState, job: crate::ui::lookup::LookupJob) {
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
    fn open_record(&mut self, number: &str, audited: bool) {
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
    fn start_reload(&mut self) {
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
    fn rules_loaded(
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

/// Runs one wake-up through the state; returns whether the desk should quit.
fn handle(
    wake: Wake,
    state: &mut AppState,
    effects: &mut Effects<'_>,
    redraw: &mut bool,
    panic_on_f12: bool,
) -> bool {
    let event = match wake {
        Wake::InputEnded => {
            effects.run(Command::SaveDraftNow, state);
            effects.end_of_session(state, "terminal_closed");
            return true;
        }
        Wake::RulesLoaded(loaded) => {
            effects.rules_loaded(*loaded);
            *redraw = true;
            return effects.drain(state);
        }
        Wake::Found(found) => {
            let (drawn, quit) = effects.deliver(Msg::Found(found), state);
            *redraw |= drawn;
            return quit;
        }
        Wake::Input(Input::PasteCut(cut)) => {
            tracing::warn!(?cut, "a paste was closed by the desk");
            state.show_notice(Message::new(match cut {
                PasteCut::Unfinished => "input.paste_unfinished",
                PasteCut::TooLong => "input.paste_too_long",
            }));
            *redraw = true;
            return false;
        }
        Wake::Input(Input::Event(event)) => event,
    };
    effects.last_input = Instant::now();
    if panic_on_f12 && matches!(&event, Event::Key(k) if k.code == KeyCode::F(12)) {
        panic!("forced panic (REGDESK_DEBUG_PANIC_ON_F12)");
    }
    let Some(msg) = Msg::from_event(event) else {
        return false;
    };
    let (drawn, quit) = effects.deliver(msg, state);
    *redraw |= drawn;
    quit
}

/// Draws a frame; the first one of the process logs how long the start took.
fn draw(
    session: &mut TerminalSession,
    state: &AppState,
    first_frame: &mut Option<Instant>,
) -> color_eyre::Result<()> {
    session.terminal.draw(|frame| view(state, frame))?;
    if let Some(started) = first_frame.take() {
        tracing::info!(
            micros = started.elapsed().as_micros() as u64,
            "first frame drawn"
        );
    }
    Ok(())
}

/// The desk before anyone signed in: only the sign-in form works (and F10, and the language);
/// its requests open the database. Returns it with the operator, or `None` when the desk was
/// closed first.
fn sign_in_loop(
    session: &mut TerminalSession,
    state: &mut AppState,
    inbox: &std::sync::mpsc::Receiver<Wake>,
    mut opening: Opening,
    started: Instant,
) -> color_eyre::Result<Option<(Store, OpenReport, Operator)>> {
    let mut redraw = true;
    let mut first_frame = Some(started);
    loop {
        if std::mem::take(&mut redraw) {
            draw(session, state, &mut first_frame)?;
        }
        let Ok(wake) = inbox.recv() else {
            return Ok(None);
        };
        let event = match wake {
            Wake::Input(Input::Event(event)) => event,
            Wake::InputEnded => return Ok(None),
            _ => continue,
        };
        let Some(msg) = Msg::from_event(event) else {
            continue;
        };
        let outcome = state.update(msg);
        redraw |= outcome.redraw;
        for command in outcome.commands {
            match command {
                Command::Quit => return Ok(None),
                Command::SignIn(request) => {
                    redraw = true;
                    let mut replies = Vec::new();
                    let opened = opening.sign_in(&mut replies, request);
                    // What the sign-in found goes to the state; before anyone is in, its
                    // updates ask for nothing that could run here.
                    for msg in replies {
                        let outcome = state.update(msg);
                        debug_assert!(outcome.commands.is_empty(), "{:?}", outcome.commands);
                    }
                    if let Some(opened) = opened {
                        return Ok(Some(opened));
                    }
                }
                Command::LanguageChanged(lang) => tracing::info!(%lang, "language switched"),
                // Nothing else is reachable before sign-in, and nothing else may run.
                _ => {}
            }
        }
    }
}

fn event_loop(
    session: &mut TerminalSession,
    state: &mut AppState,
    effects: &mut Effects<'_>,
    inbox: std::sync::mpsc::Receiver<Wake>,
    started: Instant,
) -> color_eyre::Result<()> {
    // Lets the end-to-end tests prove that a panic restores the terminal; harmless in a real
    // desk (nobody sets it), and kept in release builds so those tests run there too.
    let panic_on_f12 = std::env::var_os("REGDESK_DEBUG_PANIC_ON_F12").is_some();
    let mut redraw = true;
    let mut first_frame = Some(started);
    loop {
        if std::mem::take(&mut redraw) {
            draw(session, state, &mut first_frame)?;
        }
        // Block until something happens, or until a deadline: the draft is due, or the desk
        // has been idle for its lock time (the only two the loop wakes for). Then take
        // everything already waiting before the next frame, so a burst of input (a long paste
        // typed as keys) draws once.
        let lock_due = effects
            .lock_after
            .filter(|_| state.operator.is_some() && state.sign_in.is_none())
            .map(|after| effects.last_input + after);
        // The desk's date follows the clock: it wakes once at the next local midnight.
        let day_due = Instant::now() + crate::clock::until_next_day(chrono::Local::now());
        let due = [effects.draft_due, lock_due, Some(day_due)]
            .into_iter()
            .flatten()
            .min();
        let wake = match due {
            Some(due) => {
                let wait = due.saturating_duration_since(Instant::now());
                match inbox.recv_timeout(wait) {
                    Ok(wake) => wake,
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                        let now = Instant::now();
                        // Deadlines go through the same paths as keys: the timed draft save
                        // is a command (so the checkpointer hears of its write), the day and
                        // the idle lock are messages whose commands run.
                        let mut quit = false;
                        if effects.draft_due.is_some_and(|d| d <= now) {
                            quit |= effects.run(Command::SaveDraftNow, state);
                        }
                        if day_due <= now {
                            let today = chrono::Local::now().date_naive();
                            quit |= effects.deliver(Msg::DayChanged(today), state).1;
                        }
                        if lock_due.is_some_and(|d| d <= now) {
                            tracing::info!("desk locked after its idle time");
                            quit |= effects.deliver(Msg::IdleLock, state).1;
                        }
                        if quit {
                            return Ok(());
                        }
                        redraw = true;
                        continue;
                    }
                    Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
                }
            }
            None => match inbox.recv() {
                Ok(wake) => wake,
                Err(_) => return Ok(()),
            },
        };
        if handle(wake, state, effects, &mut redraw, panic_on_f12) {
            return Ok(());
        }
        while let Ok(wake) = inbox.try_recv() {
            if handle(wake, state, effects, &mut redraw, panic_on_f12) {
                return Ok(());
            }
        }
    }
}
