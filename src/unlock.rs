//! The key of an encrypted database, for a command: from `--key-file` (or
//! `REGDESK_KEY_FILE`), from the credentials a command already asked for (an administrator's),
//! or asked on the terminal (login, then the password, not shown). Each way opens one key slot,
//! with the slot's lockout; a script without a terminal gets a message saying what to give.

use std::io::{BufRead, IsTerminal};
use std::path::Path;
use std::process::ExitCode;

use crate::core::key_wrap::DbKey;
use crate::i18n::{Tr, printable};
use crate::output::EXIT_FAILED;
use crate::output::error_line;
use crate::store::{FILE_SLOT, Keyring, Unlock, operator_slot};

/// A login and password given to a command.
#[derive(Clone)]
pub struct Credentials {
    pub login: String,
    pub password: String,
}

/// Where passwords come from.
pub enum Secrets {
    Stdin(std::io::StdinLock<'static>),
    Terminal,
}

/// The longest line read as a password or login from standard input: a longer one is not a
/// password, and reading it whole would let any input fill the memory.
pub const MAX_SECRET_BYTES: u64 = 1024;

/// One line of at most [`MAX_SECRET_BYTES`] from `input`, without its line end; `None` at the
/// end of input, on a read error, or for a longer line (the rest of which is not read).
pub fn bounded_line(input: impl BufRead) -> Option<String> {
    let mut bytes = Vec::new();
    input
        .take(MAX_SECRET_BYTES + 1)
        .read_until(b'\n', &mut bytes)
        .ok()?;
    if bytes.is_empty() {
        return None;
    }
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    } else if bytes.len() as u64 > MAX_SECRET_BYTES {
        return None;
    }
    String::from_utf8(bytes).ok()
}

impl Secrets {
    pub fn new(from_stdin: bool) -> Secrets {
        if from_stdin {
            Secrets::Stdin(std::io::stdin().lock())
        } else {
            Secrets::Terminal
        }
    }

    pub fn next(&mut self, prompt: &str) -> Option<String> {
        match self {
            Secrets::Stdin(input) => bounded_line(&mut *input),
            Secrets::Terminal => read_hidden(prompt),
        }
    }
}

/// Reads a line from the terminal without showing it.
pub fn read_hidden(prompt: &str) -> Option<String> {
    use crossterm::event::{Event, KeyCode, KeyEventKind, KeyModifiers, read};
    if !std::io::stderr().is_terminal() || !std::io::stdin().is_terminal() {
        return None;
    }
    eprint!("{prompt}: ");
    // Killed while the password is typed (a closed window, `kill`, a shutdown): the terminal
    // is given back to the shell as it was, not left raw.
    crate::platform::on_ending(|| {
        let _ = crossterm::terminal::disable_raw_mode();
        eprintln!();
    });
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

/// Reads a line from the terminal, shown as typed (a login).
pub(crate) fn read_shown(prompt: &str) -> Option<String> {
    if !std::io::stderr().is_terminal() || !std::io::stdin().is_terminal() {
        return None;
    }
    eprint!("{prompt}: ");
    let line = bounded_line(std::io::stdin().lock())?;
    Some(line.trim().to_lowercase())
}

/// The most of a key file that is read: its text is 64 hex digits, and a wrong path (a
/// device, a huge file) must not be read whole.
const KEY_FILE_MAX_BYTES: u64 = 4096;

/// Reads a key file's text: its first line, without the line end.
fn key_file_text(tr: &Tr, file: &Path) -> Result<String, ExitCode> {
    use std::io::Read;
    let shown = printable(&file.display().to_string());
    // A pipe, a device or a folder is no key file: opening a pipe would wait for a writer
    // forever, and a device would be read without end.
    let regular = std::fs::metadata(file).and_then(|m| {
        if m.is_file() {
            Ok(())
        } else {
            Err(std::io::Error::other("not a regular file"))
        }
    });
    let read = regular
        .and_then(|_| std::fs::File::open(file))
        .and_then(|f| {
            let mut bytes = Vec::new();
            f.take(KEY_FILE_MAX_BYTES).read_to_end(&mut bytes)?;
            Ok(String::from_utf8_lossy(&bytes).into_owned())
        });
    let text = read.map_err(|e| {
        let message = tr.f(
            "unlock.key_file_unreadable",
            &[("path", &shown), ("detail", &e.to_string())],
        );
        error_line(&tr.f("cli.error", &[("message", &message)]));
        ExitCode::from(EXIT_FAILED)
    })?;
    Ok(text.lines().next().unwrap_or("").trim().to_owned())
}

/// The key of the encrypted database at `path`, and the slot that gave it.
pub fn database_key(
    cli: &crate::cli::Cli,
    tr: &Tr,
    path: &Path,
    given: Option<&Credentials>,
) -> Result<(DbKey, String), ExitCode> {
    let failed = |message: String| {
        error_line(&tr.f("cli.error", &[("message", &message)]));
        ExitCode::from(EXIT_FAILED)
    };
    let shown = printable(&path.display().to_string());
    let mut ring = Keyring::open(path).map_err(|e| failed(e.translated(tr)))?;
    let (slot, secret, from_file) = if let Some(file) = &cli.key_file {
        (FILE_SLOT.to_owned(), key_file_text(tr, file)?, true)
    } else if let Some(credentials) = given {
        (
            operator_slot(&credentials.login),
            credentials.password.clone(),
            false,
        )
    } else {
        let Some(login) = read_shown(&tr.t("unlock.login_prompt")) else {
            return Err(failed(tr.f("unlock.no_terminal", &[("path", &shown)])));
        };
        let Some(password) = read_hidden(&tr.f("unlock.password_prompt", &[("login", &login)]))
        else {
            return Err(failed(tr.t("operator.cli.no_password")));
        };
        (operator_slot(&login), password, false)
    };
    match ring.unlock(&slot, &secret, chrono::Utc::now()) {
        Ok(Unlock::Key(key)) => Ok((key, slot)),
        Ok(Unlock::Refused) if from_file => {
            let file = cli.key_file.as_deref().unwrap_or(Path::new(""));
            Err(failed(tr.f(
                "unlock.key_file_refused",
                &[("path", &printable(&file.display().to_string()))],
            )))
        }
        Ok(Unlock::Refused) => Err(failed(tr.t("login.refused"))),
        Ok(Unlock::Locked { until }) => {
            let when = crate::clock::lock_ends(until);
            Err(failed(tr.f("login.locked", &[("until", &when)])))
        }
        Err(error) => Err(failed(error.translated(tr))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_line_longer_than_a_password_is_not_one() {
        let long = "x".repeat(MAX_SECRET_BYTES as usize + 1);
        assert_eq!(bounded_line(long.as_bytes()), None);
        let exact = "y".repeat(MAX_SECRET_BYTES as usize);
        assert_eq!(bounded_line(format!("{exact}\n").as_bytes()), Some(exact));
        assert_eq!(
            bounded_line("пароль 1\r\nnext\n".as_bytes()),
            Some("пароль 1".into())
        );
        assert_eq!(bounded_line(&b""[..]), None);
    }

    proptest! {
        /// Any input: at most one bounded line is taken, never a panic.
        #[test]
        fn any_input_gives_a_bounded_line(bytes in proptest::collection::vec(any::<u8>(), 0..3000)) {
            if let Some(line) = bounded_line(&bytes[..]) {
                prop_assert!(line.len() as u64 <= MAX_SECRET_BYTES);
                prop_assert!(!line.contains('\n'));
            }
        }
    }
}
