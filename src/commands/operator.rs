//! `regdesk operator add | list | disable | reset-password`: accounts, for administrators.
//! Passwords come from the terminal (not shown) or, with `--password-stdin`, one a line from
//! standard input; never from the command line, where other users could read them.

use std::process::ExitCode;

use super::{EXIT_BAD_INPUT, EXIT_FAILED};
use crate::cli::{Cli, OperatorAction, OperatorArgs};
use crate::core::{Permission, Role, password};
use crate::i18n::{Tr, printable};
use crate::output::{Output, error_line};
use crate::store::AccountChange;
use crate::store::{OpenOptions, SignIn, Store, operator_slot};
use crate::unlock::{Credentials, Secrets};

/// Signs `credentials` in on `store` (audited, with its lockout) and checks that their role
/// allows `what`: their operator id (the store then acts as them), or the exit code after
/// saying why not.
pub(crate) fn sign_in_admin(
    store: &mut Store,
    credentials: &Credentials,
    tr: &Tr,
    training: bool,
    what: Permission,
) -> Result<i64, ExitCode> {
    let failed = |message: String| {
        error_line(&message);
        ExitCode::from(EXIT_FAILED)
    };
    match store.sign_in(
        &credentials.login,
        &credentials.password,
        chrono::Utc::now(),
    ) {
        Ok(SignIn::Welcome(op)) if training => {
            // A training database: its own accounts, fictional people.
            if op.role.allows(what, true) {
                store.set_actor(Some(op.id));
                Ok(op.id)
            } else {
                let _ = store.audit_refusal(what, "command");
                Err(failed(tr.t("operator.cli.not_trainer")))
            }
        }
        Ok(SignIn::Welcome(op)) => {
            store.set_actor(Some(op.id));
            super::access::authorize(store, tr, &op, what)?;
            Ok(op.id)
        }
        Ok(SignIn::Refused) => Err(failed(tr.t("login.refused"))),
        Ok(SignIn::Locked { until }) => {
            let when = crate::clock::lock_ends(until);
            Err(failed(tr.f("login.locked", &[("until", &when)])))
        }
        Err(error) => Err(failed(error.translated(tr))),
    }
}

/// The administrator's login and password, the password asked for (or read from stdin).
pub(crate) fn admin_credentials(
    login: &str,
    secrets: &mut Secrets,
    tr: &Tr,
) -> Result<Credentials, ExitCode> {
    let Some(password) = secrets.next(&tr.f("operator.cli.password_of", &[("login", login)]))
    else {
        error_line(&tr.t("operator.cli.no_password"));
        return Err(ExitCode::from(EXIT_BAD_INPUT));
    };
    Ok(Credentials {
        login: login.to_owned(),
        password,
    })
}

/// The first account of a new database, which is created encrypted with its slot.
fn first_account(cli: &Cli, tr: &Tr, args: &OperatorArgs, secrets: &mut Secrets) -> ExitCode {
    let OperatorAction::Add { login, name, role } = &args.action else {
        error_line(
            &tr.f(
                "db.none",
                &[(
                    "path",
                    &printable(
                        &crate::paths::database_path(cli.db.as_deref(), cli.training)
                            .display()
                            .to_string(),
                    ),
                )],
            ),
        );
        return ExitCode::from(EXIT_FAILED);
    };
    let role = Role::from_code(role).unwrap_or(Role::Operator);
    if role != Role::Admin {
        error_line(&format!(
            "regdesk: {}",
            tr.t(crate::store::AccountProblem::FirstMustBeAdmin.message_key())
        ));
        return ExitCode::from(EXIT_FAILED);
    }
    if !crate::store::valid_login(login) {
        error_line(&format!(
            "regdesk: {}",
            tr.t(crate::store::AccountProblem::BadLogin.message_key())
        ));
        return ExitCode::from(EXIT_FAILED);
    }
    // Checked before the file is made: a weak password creates nothing.
    let checked = new_password(secrets, tr).and_then(|password| {
        password::check_new(&password).map_err(|p| tr.t(p.message_key()))?;
        Ok(password)
    });
    let password = match checked {
        Ok(password) => password,
        Err(message) => {
            error_line(&format!("regdesk: {message}"));
            return ExitCode::from(EXIT_FAILED);
        }
    };
    let hash = password::hash(&password);
    let db_path = crate::paths::database_path(cli.db.as_deref(), cli.training);
    let slots = [(operator_slot(login), password.as_str())];
    let created = Store::create_encrypted(&db_path, &OpenOptions::default(), &slots);
    let mut store = match created {
        Ok((store, _)) => store,
        Err(error) => {
            error_line(&error.translated(tr));
            return ExitCode::from(EXIT_FAILED);
        }
    };
    match store.add_operator(login, name, role, &hash, None) {
        Ok(Ok(op)) => {
            let mut out = Output::new();
            out.line(&tr.f(
                "operator.cli.added",
                &[("login", &op.login), ("role", &tr.t(role.message_key()))],
            ));
            out.finish(tr, ExitCode::SUCCESS)
        }
        Ok(Err(problem)) => {
            error_line(&format!("regdesk: {}", tr.t(problem.message_key())));
            ExitCode::from(EXIT_FAILED)
        }
        Err(error) => {
            error_line(&error.translated(tr));
            ExitCode::from(EXIT_FAILED)
        }
    }
}

pub fn operator(cli: &Cli, args: &OperatorArgs) -> ExitCode {
    let tr = Tr::new(cli.language());
    let db_path = crate::paths::database_path(cli.db.as_deref(), cli.training);
    let mut secrets = Secrets::new(cli.password_stdin);
    // A new real database is created encrypted, by its first account.
    let absent = std::fs::metadata(&db_path).map_or(true, |m| m.is_file() && m.len() == 0);
    if absent && !cli.training {
        return first_account(cli, &tr, args, &mut secrets);
    }
    // An encrypted file has its accounts already: only an administrator changes them.
    if cli.login.is_none() && crate::store::is_encrypted_file(&db_path) {
        error_line(&tr.t("operator.cli.needs_admin"));
        return ExitCode::from(EXIT_BAD_INPUT);
    }
    // The administrator's password is asked first: it also opens an encrypted file.
    let credentials = match &cli.login {
        Some(admin) => match admin_credentials(admin, &mut secrets, &tr) {
            Ok(credentials) => Some(credentials),
            Err(code) => return code,
        },
        None => None,
    };
    let (mut store, _) =
        match crate::open::open_database_as(cli, &tr, &db_path, credentials.as_ref()) {
            Ok(opened) => opened,
            Err(code) => return code,
        };
    let first = if cli.training {
        !store.has_accounts().unwrap_or(true)
    } else {
        !store.has_operators().unwrap_or(true)
    };
    // Who does it: an administrator, signed in here (audited, with its lockout); nobody only
    // for the first account.
    let by = match (&credentials, first, &args.action) {
        (None, true, OperatorAction::Add { .. }) => None,
        (None, _, _) => {
            error_line(&tr.t("operator.cli.needs_admin"));
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        (Some(credentials), _, _) => {
            match sign_in_admin(
                &mut store,
                credentials,
                &tr,
                cli.training,
                Permission::ManageOperators,
            ) {
                Ok(id) => Some(id),
                Err(code) => return code,
            }
        }
    };
    // Accounts without a key slot cannot open an encrypted file yet.
    let with_slot = store.slot_logins().ok().flatten();
    let mut out = Output::new();
    let result = match &args.action {
        OperatorAction::List => match store.operators() {
            Ok(list) => {
                for op in list {
                    let disabled = if !op.active {
                        format!(" · {}", tr.t("operator.cli.disabled"))
                    } else if with_slot.as_ref().is_some_and(|w| !w.contains(&op.login)) {
                        format!(" · {}", tr.t("operator.cli.no_slot"))
                    } else {
                        String::new()
                    };
                    out.line(&format!(
                        "{}\t{}\t{}{disabled}",
                        op.login,
                        printable(&op.display_name),
                        tr.t(op.role.message_key())
                    ));
                }
                Ok(())
            }
            Err(e) => Err(e.translated(&tr)),
        },
        OperatorAction::Add { login, name, role } => {
            let role = Role::from_code(role).unwrap_or(Role::Operator);
            new_password(&mut secrets, &tr).and_then(|password| {
                let change = AccountChange::Add {
                    login: login.clone(),
                    name: name.clone(),
                    role,
                    password,
                };
                store.change_account(&change, by).map_err(|f| f.text(&tr))?;
                out.line(&tr.f(
                    "operator.cli.added",
                    &[("login", login), ("role", &tr.t(role.message_key()))],
                ));
                Ok(())
            })
        }
        OperatorAction::Disable { login } => {
            let change = AccountChange::Disable {
                login: login.clone(),
            };
            store
                .change_account(&change, by)
                .map_err(|f| f.text(&tr))
                .map(|()| out.line(&tr.f("operator.cli.disabled_done", &[("login", login)])))
        }
        OperatorAction::ResetPassword { login } => {
            new_password(&mut secrets, &tr).and_then(|password| {
                let change = AccountChange::ResetPassword {
                    login: login.clone(),
                    password,
                };
                store.change_account(&change, by).map_err(|f| f.text(&tr))?;
                out.line(&tr.f("operator.cli.password_set", &[("login", login)]));
                Ok(())
            })
        }
    };
    match result {
        Ok(()) => out.finish(&tr, ExitCode::SUCCESS),
        Err(message) => {
            error_line(&format!("regdesk: {message}"));
            ExitCode::from(EXIT_FAILED)
        }
    }
}

/// Asks the new password (twice on a terminal); the store checks it.
fn new_password(secrets: &mut Secrets, tr: &Tr) -> Result<String, String> {
    let first = secrets
        .next(&tr.t("operator.cli.new_password"))
        .ok_or_else(|| tr.t("operator.cli.no_password"))?;
    if matches!(secrets, Secrets::Terminal) {
        let again = secrets
            .next(&tr.t("operator.cli.again"))
            .ok_or_else(|| tr.t("operator.cli.no_password"))?;
        if again != first {
            return Err(tr.t("operator.error.mismatch"));
        }
    }
    Ok(first)
}
