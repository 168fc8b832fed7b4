//! The one place where side effects run: it opens the store, enters the terminal, and runs the
//! event loop, executing the [`Command`]s the UI state asks for.
//!
//! The loop draws only when the state changed, then blocks on the next terminal event: no
//! tick and no frame rate, so an idle desk uses no CPU (field laptops run on battery).

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Instant;

use color_eyre::eyre::WrapErr;

use crate::cli::Cli;
use crate::i18n::{Message, Tr};
use crate::opening::Opening;
use crate::paths;
use crate::rules::{ActiveRules, loader};
use crate::store::DRAFT_FORM;
use crate::terminal::TerminalSession;
use crate::ui::{AppState, Msg, SessionInfo};
use drafts::draft_summary;
use effects::Effects;
use event_loop::{Wake, event_loop, sign_in_loop};

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
    run(cli, started, None)
}

/// The desk in training mode with `lesson` played on it, a key every `delay`.
pub fn run_lesson(
    cli: &Cli,
    started: Instant,
    lesson: crate::training::lesson::Lesson,
    delay: std::time::Duration,
) -> color_eyre::Result<ExitCode> {
    run(cli, started, Some(lesson::Player::new(lesson, delay)))
}

fn run(
    cli: &Cli,
    started: Instant,
    mut player: Option<lesson::Player>,
) -> color_eyre::Result<ExitCode> {
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
    // A training database with a class's accounts (a trainer made them) asks who signs in,
    // so the audit shows who did what; one without is a classroom that signs in as nobody.
    let class_signs_in = cli.training
        && matches!(&opening, Opening::Open(store, _) if store.has_accounts().unwrap_or(false));
    if !cli.training || class_signs_in {
        match opening.mode() {
            Ok(mode) => state.show(crate::ui::Overlay::SignIn(
                crate::ui::sign_in::SignInState::new(mode),
                None,
            )),
            Err(error) => return Ok(crate::open::fail(&tr, error.translated(&tr))),
        }
    }
    let mut session =
        TerminalSession::enter().wrap_err("cannot switch the terminal to full screen")?;
    let (wake, inbox) = std::sync::mpsc::channel();
    crate::platform::spawn_input(wake.clone(), Wake::Input, Wake::InputEnded)
        .wrap_err("cannot read the terminal's input")?;
    let (mut store, report, operator_id) = match opening {
        Opening::Open(store, report) if cli.training && !class_signs_in => (store, report, None),
        opening => match sign_in_loop(&mut session, &mut state, &inbox, opening, started)? {
            Some((store, report, operator)) => (store, report, Some(operator.id)),
            None => return Ok(ExitCode::SUCCESS),
        },
    };
    let (session_id, unclean) = store
        .begin_session(std::process::id(), crate::platform::process_is_running)
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
        // A real database is created with its administrator: say how operators are added.
        let key = if cli.training {
            "db.created"
        } else {
            "db.created_admin"
        };
        state.show_notice(Message::new(key).arg("path", shown_path));
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
    let mut quit = drafts.is_some_and(|drafts| effects.deliver(drafts, &mut state).1);
    if let Some(lesson) = player.as_mut()
        && !quit
    {
        quit = lesson.start(&mut state, &mut effects);
    }
    if !quit {
        event_loop(
            &mut session,
            &mut state,
            &mut effects,
            inbox,
            started,
            player,
        )?;
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

mod drafts;
mod effects;
mod event_loop;
mod lesson;
