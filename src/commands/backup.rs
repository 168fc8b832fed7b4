//! `regdesk backup PATH`, `regdesk restore FROM [--replace]` and `regdesk retention`: the
//! file as a whole.

use std::path::Path;
use std::process::ExitCode;

use super::EXIT_FAILED;
use super::access::open_for;
use crate::cli::Cli;
use crate::core::Permission;
use crate::i18n::{Tr, printable};
use crate::output::{Output, error_line};
use crate::store::{DatabaseKind, OpenOptions};

pub fn backup(cli: &Cli, path: &Path) -> ExitCode {
    let tr = Tr::new(cli.language());
    let mut store = match open_for(cli, &tr, Permission::Backup, "db.none") {
        Ok(store) => store,
        Err(code) => return code,
    };
    match store.backup_to(path) {
        Ok(done) => {
            // The chain's end after the backup, outside the file: a copy of this backup put
            // in place of the live database later is caught by `audit verify`.
            let anchors = crate::center::anchor_path(store.path());
            if let Err(error) = store.append_anchor(&anchors, "backup", None) {
                error_line(&tr.f(
                    "audit.anchor_not_written",
                    &[("detail", &error.translated(&tr))],
                ));
                return ExitCode::from(EXIT_FAILED);
            }
            let (id, hash) = done
                .anchor
                .unwrap_or((0, crate::store::AUDIT_GENESIS.to_owned()));
            let mut out = Output::new();
            out.line(&tr.f(
                "backup.done",
                &[
                    ("path", &printable(&path.display().to_string())),
                    ("pages", &done.pages.to_string()),
                    ("id", &id.to_string()),
                    ("hash", &hash),
                ],
            ));
            out.finish(&tr, ExitCode::SUCCESS)
        }
        Err(error) => {
            error_line(&error.translated(&tr));
            ExitCode::from(EXIT_FAILED)
        }
    }
}

/// `regdesk restore FROM [--replace]`: an administrator's act. An existing database is
/// opened first, as the administrator (its role checked there), and its chain end noted for
/// the restored database's audit row; a restore into an empty place is checked against the
/// accounts of the database it brings, and undone if they refuse.
pub fn restore(cli: &Cli, from: &Path, replace: bool) -> ExitCode {
    let tr = Tr::new(cli.language());
    let to = crate::paths::database_path(cli.db.as_deref(), cli.training);
    let replacing = std::fs::metadata(&to).is_ok_and(|m| m.is_file() && m.len() > 0);
    if crate::store::same_file(from, &to) {
        let error = crate::store::StoreError::SameFile {
            path: from.to_path_buf(),
        };
        error_line(&error.translated(&tr));
        return ExitCode::from(EXIT_FAILED);
    }
    let kind = if cli.training {
        DatabaseKind::Training
    } else {
        DatabaseKind::Real
    };
    // Who restores: asked once, for the database replaced and for an encrypted backup.
    let mut credentials = None;
    if (replacing && replace && crate::store::is_encrypted_file(&to)
        || crate::store::is_encrypted_file(from))
        && cli.key_file.is_none()
        && !cli.training
    {
        match super::access::ask(cli, &tr, &to) {
            Ok(asked) => credentials = Some(asked),
            Err(code) => return code,
        }
    }
    // An encrypted backup is opened with its own key slots (the passwords as they were then).
    let key = if crate::store::is_encrypted_file(from) {
        match crate::unlock::database_key(cli, &tr, from, credentials.as_ref()) {
            Ok((key, _)) => Some(key),
            Err(code) => return code,
        }
    } else {
        None
    };
    let options = OpenOptions {
        kind,
        key,
        ..OpenOptions::default()
    };
    // A damaged or foreign backup is refused before anything, the database included, is
    // touched.
    if let Err(error) = crate::store::check_backup(from, &options) {
        error_line(&error.translated(&tr));
        return ExitCode::from(EXIT_FAILED);
    }
    // A plain backup would decrypt an encrypted database: refused before anyone signs in.
    if replacing
        && replace
        && !crate::store::is_encrypted_file(from)
        && crate::store::is_encrypted_file(&to)
    {
        let error = crate::store::StoreError::PlainOverEncrypted { path: to.clone() };
        error_line(&error.translated(&tr));
        return ExitCode::from(EXIT_FAILED);
    }
    let mut by = crate::store::RestoreBy::default();
    if replacing && replace {
        let (store, operator) =
            match super::access::open_as(cli, &tr, &to, Permission::Restore, credentials.clone()) {
                Ok(opened) => opened,
                Err(code) => return code,
            };
        by.login = operator.map(|op| op.login);
        by.replaced_chain = store.audit_anchor().ok().flatten();
        drop(store);
    }
    let restored = match crate::store::restore(from, &to, &options, replace, &by) {
        Ok(restored) => restored,
        Err(error) => {
            error_line(&error.translated(&tr));
            return ExitCode::from(EXIT_FAILED);
        }
    };
    let kept = restored.kept.clone();
    // The restore is anchored outside the file: its own row, and the replaced chain's end.
    let anchors = crate::center::anchor_path(&to);
    if let Err(error) = restored
        .store
        .append_anchor(&anchors, "restore", by.replaced_chain.clone())
    {
        error_line(&tr.f(
            "audit.anchor_not_written",
            &[("detail", &error.translated(&tr))],
        ));
    }
    drop(restored);
    // Nothing was replaced: whoever restores must be an administrator of what they brought.
    if !replacing && !cli.training {
        let checked = super::access::open_as(cli, &tr, &to, Permission::Restore, credentials);
        if let Err(code) = checked {
            let _ = std::fs::remove_file(&to);
            let _ = std::fs::remove_file(crate::store::keyring_path(&to));
            return code;
        }
    }
    let mut out = Output::new();
    out.line(&tr.f(
        "backup.restored",
        &[
            ("from", &printable(&from.display().to_string())),
            ("path", &printable(&to.display().to_string())),
        ],
    ));
    if let Some(kept) = kept {
        out.line(&tr.f(
            "backup.kept",
            &[("path", &printable(&kept.display().to_string()))],
        ));
    }
    out.finish(&tr, ExitCode::SUCCESS)
}

pub fn retention(cli: &Cli, years: u32, apply: bool) -> ExitCode {
    let tr = Tr::new(cli.language());
    let mut store = match open_for(cli, &tr, Permission::Retention, "db.none") {
        Ok(store) => store,
        Err(code) => return code,
    };
    let before = chrono::Utc::now()
        .checked_sub_months(chrono::Months::new(years * 12))
        .unwrap_or_default();
    match store.retention(&crate::store::timestamp(before), apply) {
        Ok(found) => {
            let mut out = Output::new();
            for number in &found.applications {
                out.line(number);
            }
            let key = if apply {
                "retention.done"
            } else {
                "retention.dry_run"
            };
            error_line(&tr.f(
                key,
                &[
                    ("applicants", &found.applicants.to_string()),
                    ("applications", &found.applications.len().to_string()),
                    ("closed", &found.closed_cases.to_string()),
                    ("years", &years.to_string()),
                ],
            ));
            out.finish(&tr, ExitCode::SUCCESS)
        }
        Err(error) => {
            error_line(&error.translated(&tr));
            ExitCode::from(EXIT_FAILED)
        }
    }
}
