//! `regdesk operator add | list | disable | reset-password`: accounts, for administrators.
//! Passwords come from the terminal (not shown) or, with `--password-stdin`, one a line from
//! standard input; never from the command line, where other users could read them.

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use super::output::{Output, error_line};
use super::{EXIT_BAD_INPUT, EXIT_FAILED};
use crate::cli::{Cli, OperatorAction, OperatorArgs};
use crate::core::{Permission, Role, password};
use crate::i18n::{Tr, printable};
use crate::store::SignIn;

/// Where passwords come from.
enum Secrets {
    Stdin(std::io::Lines<std::io::StdinLock<'static>>),
    Terminal,
}

impl Secrets {
    fn next(&mut self, prompt: &str) -> Option<String> {
        match self {
            Secrets::Stdin(lines) => lines.next()?.ok(),
            Secrets::Terminal => read_hidden(prompt),
        }
    }
}

/// Reads a line from the terminal without showing it.
fn read_hidden(prompt: &str) -> Option<String> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
    if !std::io::stderr().is_terminal() {
        return None;
    }
    eprint!("{prompt}: ");
    crossterm::terminal::enable_raw_mode().ok()?;
    let mut text = String::new();
    let result = loop {
        match read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => match k.code {
                KeyCode::Enter => break Some(text),
                KeyCode::Char('c') if k.modifiers.contains(KeyModifiers::CONTROL) => break None,
                KeyCode::Esc => break None,
                KeyCode::Backspace => {
                    text.pop();
                }
                KeyCode::Char(c) => text.push(c),
                _ => {}
            },
            Ok(Event::Paste(p)) => text.push_str(p.trim_end_matches(['\r', '\n'])),
            Ok(_) => {}
            Err(_) => break None,
        }
    };
    let _ = crossterm::terminal::disable_raw_mode();
    eprintln!();
    result
}

pub fn operator(cli: &Cli, args: &OperatorArgs) -> ExitCode {
    let tr = Tr::new(cli.language());
    let db_path = crate::paths::database_path(cli.db.as_deref(), cli.training);
    let (mut store, _) = match crate::app::open_database(cli, &tr, &db_path) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let mut secrets = if args.password_stdin {
        Secrets::Stdin(std::io::stdin().lock().lines())
    } else {
        Secrets::Terminal
    };
    let first = !store.has_operators().unwrap_or(true);
    // Who does it: an administrator, signed in here (audited, with its lockout); nobody only
    // for the first account.
    let by = match (&args.admin, first, &args.action) {
        (None, true, OperatorAction::Add { .. }) => None,
        (None, _, _) => {
            error_line(&tr.t("operator.cli.needs_admin"));
            return ExitCode::from(EXIT_BAD_INPUT);
        }
        (Some(admin), _, _) => {
            let Some(secret) = secrets.next(&tr.f("operator.cli.password_of", &[("login", admin)]))
            else {
                error_line(&tr.t("operator.cli.no_password"));
                return ExitCode::from(EXIT_BAD_INPUT);
            };
            match store.sign_in(admin, &secret, chrono::Utc::now()) {
                Ok(SignIn::Welcome(op))
                    if op.role.allows(Permission::ManageOperators, cli.training) =>
                {
                    Some(op.id)
                }
                Ok(SignIn::Welcome(op)) => {
                    let _ = store.append_audit(
                        Some(op.id),
                        "operator.refused",
                        None,
                        r#"{"reason":"role"}"#,
                    );
                    error_line(&tr.t("operator.cli.not_admin"));
                    return ExitCode::from(EXIT_FAILED);
                }
                Ok(SignIn::Refused) => {
                    error_line(&tr.t("login.refused"));
                    return ExitCode::from(EXIT_FAILED);
                }
                Ok(SignIn::Locked { until }) => {
                    let when = until
                        .with_timezone(&chrono::Local)
                        .format("%H:%M:%S")
                        .to_string();
                    error_line(&tr.f("login.locked", &[("until", &when)]));
                    return ExitCode::from(EXIT_FAILED);
                }
                Err(error) => {
                    error_line(&error.translated(&tr));
                    return ExitCode::from(EXIT_FAILED);
                }
            }
        }
    };
    let mut out = Output::new();
    let result = match &args.action {
        OperatorAction::List => match store.operators() {
            Ok(list) => {
                for op in list {
                    let disabled = if op.active {
                        String::new()
                    } else {
                        format!(" · {}", tr.t("operator.cli.disabled"))
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
            match new_password(&mut secrets, &tr) {
                Err(message) => Err(message),
                Ok(hash) => match store.add_operator(login, name, role, &hash, by) {
                    Ok(Ok(op)) => {
                        out.line(&tr.f(
                            "operator.cli.added",
                            &[("login", &op.login), ("role", &tr.t(role.message_key()))],
                        ));
                        Ok(())
                    }
                    Ok(Err(problem)) => Err(tr.t(problem.message_key())),
                    Err(e) => Err(e.translated(&tr)),
                },
            }
        }
        OperatorAction::Disable { login } => match store.disable_operator(login, by) {
            Ok(Ok(())) => {
                out.line(&tr.f("operator.cli.disabled_done", &[("login", login)]));
                Ok(())
            }
            Ok(Err(problem)) => Err(tr.t(problem.message_key())),
            Err(e) => Err(e.translated(&tr)),
        },
        OperatorAction::ResetPassword { login } => match new_password(&mut secrets, &tr) {
            Err(message) => Err(message),
            Ok(hash) => match store.set_password(login, &hash, by) {
                Ok(Ok(())) => {
                    out.line(&tr.f("operator.cli.password_set", &[("login", login)]));
                    Ok(())
                }
                Ok(Err(problem)) => Err(tr.t(problem.message_key())),
                Err(e) => Err(e.translated(&tr)),
            },
        },
    };
    match result {
        Ok(()) => out.finish(&tr, ExitCode::SUCCESS),
        Err(message) => {
            error_line(&format!("regdesk: {message}"));
            ExitCode::from(EXIT_FAILED)
        }
    }
}

/// Asks the new password (twice on a terminal), checks it and hashes it.
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
    password::check_new(&first).map_err(|p| tr.t(p.message_key()))?;
    Ok(password::hash(&first))
}
