//! Opening a regdesk database, for the desk and for every command alike: unlocking an
//! encrypted file (its key from a slot or a key file), proving the file is ours, starting the
//! log beside it, and auditing the unlock. Errors are said as one translated line.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::Cli;
use crate::i18n::Tr;
use crate::output::error_line;
use crate::paths;
use crate::store::{DatabaseKind, OpenOptions, OpenReport, Store};

/// Says `message` as the command's one error line; the exit code to return.
pub fn fail(tr: &Tr, message: String) -> ExitCode {
    error_line(&tr.f("cli.error", &[("message", &message)]));
    ExitCode::FAILURE
}

/// Opens (or creates) the database and starts the log beside it. An error the operator can
/// act on is printed as one translated line; the exit code is returned.
pub fn open_database(cli: &Cli, tr: &Tr, db_path: &Path) -> Result<(Store, OpenReport), ExitCode> {
    open_database_as(cli, tr, db_path, None)
}

/// [`open_database`], an encrypted file unlocked with `given` (else a key file, else asked).
pub fn open_database_as(
    cli: &Cli,
    tr: &Tr,
    db_path: &Path,
    given: Option<&crate::unlock::Credentials>,
) -> Result<(Store, OpenReport), ExitCode> {
    let encrypted = crate::store::is_encrypted_file(db_path);
    // Training files are plain: an encrypted one holds real records, and is not even unlocked.
    if cli.training && encrypted {
        let error = crate::store::StoreError::WrongKind {
            path: db_path.to_path_buf(),
            training: false,
        };
        return Err(fail(tr, error.translated(tr)));
    }
    let unlocked = if encrypted {
        Some(crate::unlock::database_key(cli, tr, db_path, given)?)
    } else {
        None
    };
    let (key, slot) = unlocked.map_or((None, None), |(key, slot)| (Some(key), Some(slot)));
    let kind = if cli.training {
        DatabaseKind::Training
    } else {
        DatabaseKind::Real
    };
    let opened = Store::open_with(
        db_path,
        &OpenOptions {
            kind,
            // The desk runs a checkpointer; the commands are short and keep SQLite's own.
            checkpoint_in_background: cli.command.is_none()
                || matches!(cli.command, Some(crate::cli::Command::Desk)),
            key,
            ..OpenOptions::default()
        },
    );
    // The log starts only once the file is proven ours: a refused open (a foreign file, a
    // system file given with --db) must not leave a log beside it.
    let (mut store, report) = opened.map_err(|error| fail(tr, error.translated(tr)))?;
    start_log(db_path, tr);
    if let Some(slot) = slot
        && let Err(error) = store.audit_unlock(&slot, &command_name(cli))
    {
        return Err(fail(tr, error.translated(tr)));
    }
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        created = report.created,
        migrated_from = report.migrated_from,
        training = cli.training,
        "database opened"
    );
    Ok((store, report))
}

/// The subcommand's name, for an audit row (never its arguments: they may name a person).
pub fn command_name(cli: &Cli) -> String {
    let debug = cli
        .command
        .as_ref()
        .map_or_else(|| "Desk".to_owned(), |c| format!("{c:?}"));
    debug
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase()
}

/// Starts the log beside the database, once the file is proven ours (or absent).
pub fn start_log(db_path: &Path, tr: &Tr) {
    let log_path = paths::log_path(db_path);
    if crate::logging::init(&log_path).is_err() {
        error_line(&tr.f("cli.no_log", &[("path", &log_path.display().to_string())]));
    }
}
