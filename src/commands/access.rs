//! The one gate of the command line: every command that opens a real database acts as an
//! account, and the role table in the core (`Role::allows`) decides, as at the desk. The
//! store checks again (`Store::require`) whoever calls it.
//!
//! Who acts: the account whose login and password were given (asked on the terminal, or
//! `--login` with `--password-stdin`), checked against the accounts in the database, so a
//! disabled account or a trainer on real data is refused even through an old copy of the key
//! slots; or, with `--key-file`, the key file's own account and the role it was made with.
//! A training database holds fictional people only: its commands are not gated (its trainer
//! alone manages the class's accounts and resets it, checked by those commands).

use std::path::Path;
use std::process::ExitCode;

use super::EXIT_FAILED;
use crate::cli::Cli;
use crate::core::{Permission, Role};
use crate::i18n::{Tr, printable};
use crate::output::error_line;
use crate::store::{Operator, SignIn, Store};
use crate::unlock::{Credentials, Secrets, read_shown};

/// Exit code of a command the account's role does not allow (or an account refused).
pub const EXIT_REFUSED: u8 = 4;

/// Opens the existing database for a command that needs `what`, as the account that runs it;
/// `missing`: the catalog key said when there is no database (with `{path}`).
pub(crate) fn open_for(
    cli: &Cli,
    tr: &Tr,
    what: Permission,
    missing: &str,
) -> Result<Store, ExitCode> {
    let db_path = crate::paths::database_path(cli.db.as_deref(), cli.training);
    if !db_path.is_file() {
        let path = printable(&db_path.display().to_string());
        error_line(&tr.f(missing, &[("path", &path)]));
        return Err(ExitCode::from(EXIT_FAILED));
    }
    open_as(cli, tr, &db_path, what, None).map(|(store, _)| store)
}

/// Opens the database at `db_path` as the account that runs the command (`given`: already
/// asked), checks that its role allows `what`, and returns the store acting as it.
pub(crate) fn open_as(
    cli: &Cli,
    tr: &Tr,
    db_path: &Path,
    what: Permission,
    given: Option<Credentials>,
) -> Result<(Store, Option<Operator>), ExitCode> {
    if cli.training {
        // Fictional people, no accounts: the classroom needs no sign-in.
        let (store, _) = crate::open::open_database(cli, tr, db_path)?;
        return Ok((store, None));
    }
    let encrypted = crate::store::is_encrypted_file(db_path);
    let by_key_file = encrypted && cli.key_file.is_some();
    let mut credentials = given;
    // An encrypted file needs the password to open; a plain one is opened first, to see
    // whether it has accounts at all.
    if encrypted && !by_key_file && credentials.is_none() {
        credentials = Some(ask(cli, tr, db_path)?);
    }
    let (mut store, _) = crate::open::open_database_as(cli, tr, db_path, credentials.as_ref())?;
    if !store.has_operators().unwrap_or(true) {
        let path = printable(&db_path.display().to_string());
        error_line(&tr.f("access.no_accounts", &[("path", &path)]));
        return Err(ExitCode::from(EXIT_REFUSED));
    }
    let operator = if by_key_file {
        key_file_account(&mut store, tr)?
    } else {
        let credentials = match credentials {
            Some(given) => given,
            None => ask(cli, tr, db_path)?,
        };
        sign_in(&mut store, tr, &credentials)?
    };
    store.set_actor(Some(operator.id));
    authorize(&mut store, tr, &operator, what)?;
    Ok((store, Some(operator)))
}

/// The login (`--login`, else asked) and its password (standard input, else asked).
pub(crate) fn ask(cli: &Cli, tr: &Tr, db_path: &Path) -> Result<Credentials, ExitCode> {
    let no_way = || {
        let path = printable(&db_path.display().to_string());
        error_line(&tr.f("access.no_credentials", &[("path", &path)]));
        ExitCode::from(EXIT_FAILED)
    };
    let login = match &cli.login {
        Some(login) => login.trim().to_lowercase(),
        None if cli.password_stdin => return Err(no_way()),
        None => read_shown(&tr.t("unlock.login_prompt")).ok_or_else(no_way)?,
    };
    let mut secrets = Secrets::new(cli.password_stdin);
    let password = secrets
        .next(&tr.f("unlock.password_prompt", &[("login", &login)]))
        .ok_or_else(no_way)?;
    Ok(Credentials { login, password })
}

/// Checks the login and password against the accounts (with the lockout, audited).
fn sign_in(store: &mut Store, tr: &Tr, credentials: &Credentials) -> Result<Operator, ExitCode> {
    let failed = |message: String| {
        error_line(&format!("regdesk: {message}"));
        ExitCode::from(EXIT_FAILED)
    };
    match store.sign_in(
        &credentials.login,
        &credentials.password,
        chrono::Utc::now(),
    ) {
        Ok(SignIn::Welcome(operator)) => Ok(operator),
        Ok(SignIn::Refused) => Err(failed(tr.t("login.refused"))),
        Ok(SignIn::Locked { until }) => {
            let when = crate::clock::lock_ends(until);
            Err(failed(tr.f("login.locked", &[("until", &when)])))
        }
        Err(error) => Err(failed(error.translated(tr))),
    }
}

/// The key file's account: a key file made before key files had roles has none, and opens
/// the file for nothing but the desk's sign-in.
fn key_file_account(store: &mut Store, tr: &Tr) -> Result<Operator, ExitCode> {
    match store.key_file_account() {
        Ok(Some(account)) => Ok(account),
        Ok(None) => {
            let details = r#"{"what":"key_file","via":"command"}"#;
            let _ = store.append_audit(None, "permission.refused", None, details);
            error_line(&tr.t("access.key_file_no_role"));
            Err(ExitCode::from(EXIT_REFUSED))
        }
        Err(error) => {
            error_line(&error.translated(tr));
            Err(ExitCode::from(EXIT_FAILED))
        }
    }
}

/// Whether `operator`'s role allows `what` on this (real) database: a refusal is said, with
/// the action and the role it needs, and audited.
pub(crate) fn authorize(
    store: &mut Store,
    tr: &Tr,
    operator: &Operator,
    what: Permission,
) -> Result<(), ExitCode> {
    if operator.role.allows(what, false) {
        return Ok(());
    }
    let _ = store.audit_refusal(what, "command");
    let message = if operator.role == Role::Trainer {
        tr.t("access.trainer_real")
    } else {
        match what.least_role() {
            Some(needed) => tr.f(
                "access.refused",
                &[
                    ("what", &tr.t(what.message_key())),
                    ("needed", &tr.t(needed.message_key())),
                    ("login", &printable(&operator.login)),
                    ("role", &tr.t(operator.role.message_key())),
                ],
            ),
            None => tr.f("access.nobody", &[("what", &tr.t(what.message_key()))]),
        }
    };
    error_line(&message);
    Err(ExitCode::from(EXIT_REFUSED))
}
