//! `regdesk training --reset`: the training database back to its seeded state, from the
//! curriculum and the rule set in use (the desk's trainer key does the same).

use std::process::ExitCode;

use super::EXIT_FAILED;
use crate::cli::{Cli, TrainingArgs};
use crate::i18n::{Tr, printable};
use crate::output::error_line;
use crate::training::{lesson, seed};

pub fn training(cli: &Cli, args: &TrainingArgs) -> ExitCode {
    let tr = Tr::new(cli.language());
    if args.reset {
        return reset(cli, &tr);
    }
    if args.list {
        let mut out = crate::output::Output::new();
        for (name, text) in lesson::LESSONS {
            match lesson::parse(name, text) {
                Ok(lesson) => out.line(&format!(
                    "{name:<12} {} ({})",
                    lesson.title.get(tr.lang),
                    tr.n("training.lesson.steps", lesson.steps.len() as u64, &[])
                )),
                Err(error) => error_line(&error.text(&tr)),
            }
        }
        return out.finish(&tr, ExitCode::SUCCESS);
    }
    ExitCode::SUCCESS
}

/// The built-in lesson called `name`, or the exit code after saying which there are.
pub fn lesson(cli: &Cli, name: &str) -> Result<lesson::Lesson, ExitCode> {
    let tr = Tr::new(cli.language());
    match lesson::built_in(name) {
        Some(Ok(lesson)) => Ok(lesson),
        Some(Err(error)) => {
            error_line(&error.text(&tr));
            Err(ExitCode::from(EXIT_FAILED))
        }
        None => {
            let names: Vec<&str> = lesson::LESSONS.iter().map(|(n, _)| *n).collect();
            error_line(&tr.f(
                "training.lesson.unknown",
                &[("name", &printable(name)), ("names", &names.join(", "))],
            ));
            Err(ExitCode::from(super::EXIT_BAD_INPUT))
        }
    }
}

fn reset(cli: &Cli, tr: &Tr) -> ExitCode {
    let Ok(loaded) = super::checklist::load_rules(cli, tr) else {
        return ExitCode::from(EXIT_FAILED);
    };
    let seeded = match seed::from_curriculum(&loaded.set) {
        Ok(seeded) => seeded,
        Err(message) => return crate::open::fail(tr, message.text(tr)),
    };
    let db_path = crate::paths::database_path(cli.db.as_deref(), true);
    let (mut store, _) = match crate::open::open_database(cli, tr, &db_path) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    // Where a class signs in, only its trainer resets the database (audited as them).
    if store.has_accounts().unwrap_or(true) {
        let Some(login) = &cli.login else {
            error_line(&tr.t("training.reset.needs_trainer"));
            return ExitCode::from(super::EXIT_BAD_INPUT);
        };
        let mut secrets = crate::unlock::Secrets::new(cli.password_stdin);
        let signed_in =
            super::operator::admin_credentials(login, &mut secrets, tr).and_then(|credentials| {
                super::operator::sign_in_admin(
                    &mut store,
                    &credentials,
                    tr,
                    true,
                    crate::core::Permission::ManageOperators,
                )
            });
        if let Err(code) = signed_in {
            return code;
        }
    }
    match store.reset_training(&seeded) {
        Ok(count) => {
            let path = printable(&db_path.display().to_string());
            error_line(&tr.f(
                "training.reset.done",
                &[("path", &path), ("count", &count.to_string())],
            ));
            ExitCode::SUCCESS
        }
        Err(error) => crate::open::fail(tr, error.translated(tr)),
    }
}
