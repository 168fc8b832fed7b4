//! `regdesk backup PATH`, `regdesk restore FROM [--replace]` and `regdesk retention`: the
//! file as a whole.

use std::path::Path;
use std::process::ExitCode;

use super::output::{Output, error_line};
use super::{EXIT_FAILED, open_existing};
use crate::cli::Cli;
use crate::i18n::{Tr, printable};
use crate::store::{DatabaseKind, OpenOptions};

pub fn backup(cli: &Cli, path: &Path) -> ExitCode {
    let tr = Tr::new(cli.language());
    let mut store = match open_existing(cli, &tr) {
        Ok(store) => store,
        Err(code) => return code,
    };
    match store.backup_to(path) {
        Ok(done) => {
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

pub fn restore(cli: &Cli, from: &Path, replace: bool) -> ExitCode {
    let tr = Tr::new(cli.language());
    let to = crate::paths::database_path(cli.db.as_deref(), cli.training);
    // An encrypted backup is opened with its own key slots (the passwords as they were then).
    let key = if crate::store::is_encrypted_file(from) {
        match super::unlock::database_key(cli, &tr, from, None) {
            Ok((key, _)) => Some(key),
            Err(code) => return code,
        }
    } else {
        None
    };
    let options = OpenOptions {
        kind: if cli.training {
            DatabaseKind::Training
        } else {
            DatabaseKind::Real
        },
        key,
        ..OpenOptions::default()
    };
    match crate::store::restore(from, &to, &options, replace) {
        Ok(_) => {
            let mut out = Output::new();
            out.line(&tr.f(
                "backup.restored",
                &[
                    ("from", &printable(&from.display().to_string())),
                    ("path", &printable(&to.display().to_string())),
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

pub fn retention(cli: &Cli, years: u32, apply: bool) -> ExitCode {
    let tr = Tr::new(cli.language());
    let mut store = match open_existing(cli, &tr) {
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
