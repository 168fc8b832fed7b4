//! `regdesk encrypt` (a plain database becomes an encrypted one, in place) and
//! `regdesk key-file PATH` (a key file for kiosks and scripts): an administrator's.

use std::path::Path;
use std::process::ExitCode;

use super::operator::{admin_credentials, sign_in_admin};
use super::{EXIT_BAD_INPUT, EXIT_FAILED};
use crate::cli::Cli;
use crate::core::{Permission, Role};
use crate::i18n::{Tr, printable};
use crate::output::{Output, error_line};
use crate::store::{Store, StoreError, operator_slot};
use crate::unlock::{Credentials, Secrets};

fn shown(path: &Path) -> String {
    printable(&path.display().to_string())
}

/// Asks the administrator (`--admin`) for their password, opens the database at `db_path`
/// with it (an encrypted one through their key slot) and signs them in: the store, their
/// credentials and their operator id.
fn open_as_admin(
    cli: &Cli,
    tr: &Tr,
    db_path: &Path,
) -> Result<(Store, Credentials, i64), ExitCode> {
    let Some(admin) = cli.login.as_deref() else {
        error_line(&tr.t("operator.cli.needs_admin"));
        return Err(ExitCode::from(EXIT_BAD_INPUT));
    };
    let mut secrets = Secrets::new(cli.password_stdin);
    let credentials = admin_credentials(admin, &mut secrets, tr)?;
    if !db_path.is_file() {
        error_line(&tr.f("db.none", &[("path", &shown(db_path))]));
        return Err(ExitCode::from(EXIT_FAILED));
    }
    let (mut store, _) = crate::open::open_database_as(cli, tr, db_path, Some(&credentials))?;
    let by = sign_in_admin(
        &mut store,
        &credentials,
        tr,
        cli.training,
        Permission::ManageKeys,
    )?;
    Ok((store, credentials, by))
}

pub fn encrypt(cli: &Cli) -> ExitCode {
    let tr = Tr::new(cli.language());
    if cli.training {
        error_line(&tr.t("encrypt.training"));
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    let db_path = crate::paths::database_path(cli.db.as_deref(), cli.training);
    if crate::store::is_encrypted_file(&db_path) {
        // Said to an administrator only, as everything this command does.
        if let Err(code) = open_as_admin(cli, &tr, &db_path) {
            return code;
        }
        let mut out = Output::new();
        out.line(&tr.f("encrypt.already", &[("path", &shown(&db_path))]));
        return out.finish(&tr, ExitCode::SUCCESS);
    }
    encrypt_with_new_key(cli, &tr, &db_path, "encrypt.done")
}

pub fn rekey(cli: &Cli) -> ExitCode {
    let tr = Tr::new(cli.language());
    let db_path = crate::paths::database_path(cli.db.as_deref(), cli.training);
    if db_path.is_file() && !crate::store::is_encrypted_file(&db_path) {
        error_line(&tr.f("key_file.plain", &[("path", &shown(&db_path))]));
        return ExitCode::from(EXIT_FAILED);
    }
    encrypt_with_new_key(cli, &tr, &db_path, "rekey.done")
}

/// Encrypts the database with a new key sealed for the administrator of `args` only: a plain
/// one converted, an encrypted one re-keyed; `done` says so.
fn encrypt_with_new_key(cli: &Cli, tr: &Tr, db_path: &Path, done: &str) -> ExitCode {
    let tr = *tr;
    let db_path = db_path.to_path_buf();
    // A desk writing the file meanwhile would write to the file being replaced.
    if crate::store::in_use(&db_path) {
        let error = StoreError::InUse {
            path: db_path.clone(),
        };
        error_line(&error.translated(&tr));
        return ExitCode::from(EXIT_FAILED);
    }
    let (store, credentials, by) = match open_as_admin(cli, &tr, &db_path) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let slots = [(
        operator_slot(&credentials.login),
        credentials.password.as_str(),
    )];
    match store.encrypt_in_place(&slots, Some(by)) {
        Ok((store, report)) => {
            let mut out = Output::new();
            out.line(&tr.f(
                done,
                &[
                    ("path", &shown(store.path())),
                    ("keys", &shown(&crate::store::keyring_path(store.path()))),
                ],
            ));
            if !report.without_slot.is_empty() {
                out.line(&tr.f(
                    "encrypt.without_slot",
                    &[("logins", &report.without_slot.join(", "))],
                ));
            }
            out.finish(&tr, ExitCode::SUCCESS)
        }
        Err(error) => {
            error_line(&error.translated(&tr));
            ExitCode::from(EXIT_FAILED)
        }
    }
}

pub fn key_file(cli: &Cli, path: &Path, role: &str) -> ExitCode {
    let tr = Tr::new(cli.language());
    let db_path = crate::paths::database_path(cli.db.as_deref(), cli.training);
    if std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
        let error = StoreError::TargetExists {
            path: path.to_path_buf(),
        };
        error_line(&error.translated(&tr));
        return ExitCode::from(EXIT_FAILED);
    }
    if db_path.is_file() && !crate::store::is_encrypted_file(&db_path) {
        error_line(&tr.f("key_file.plain", &[("path", &shown(&db_path))]));
        return ExitCode::from(EXIT_FAILED);
    }
    let (mut store, _, by) = match open_as_admin(cli, &tr, &db_path) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let text = crate::core::key_wrap::new_key_file_text();
    let written = crate::files::create_private_file(path).and_then(|_| {
        std::fs::write(path, format!("{text}\n"))?;
        crate::platform::sync_file(path)
    });
    if let Err(e) = written {
        let error = StoreError::DirectoryNotWritable {
            path: path.to_path_buf(),
            detail: e.to_string(),
        };
        error_line(&error.translated(&tr));
        return ExitCode::from(EXIT_FAILED);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let details = serde_json::json!({ "file": name }).to_string();
    // The key file's account carries the role it was made with; the audit names who made it.
    let role = Role::from_code(role).unwrap_or(Role::Operator);
    let sealed = store
        .seal_for_key_file(&text)
        .and_then(|_| store.set_key_file_role(role, Some(by)))
        .and_then(|_| store.append_audit(Some(by), "key_file.created", None, &details));
    if let Err(error) = sealed {
        let _ = std::fs::remove_file(path);
        error_line(&error.translated(&tr));
        return ExitCode::from(EXIT_FAILED);
    }
    let mut out = Output::new();
    out.line(&tr.f("key_file.written", &[("path", &shown(path))]));
    out.finish(&tr, ExitCode::SUCCESS)
}
