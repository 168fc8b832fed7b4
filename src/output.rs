//! Writing what a command (or the desk, before its screen) prints the way Unix tools do: a reader that goes away (`| head -1`,
//! a closed stdout) ends the output quietly and the command keeps its exit code; any other
//! write failure (a full disk) is one line on stderr and its own exit code; and a failing
//! stderr is ignored rather than turned into a panic, so exit codes stay what they promise.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::i18n::Tr;
use crate::rules::RuleError;

/// Exit code for invalid rules or failed tests.
pub const EXIT_FAILED: u8 = 1;
/// Exit code for invalid input (facts, options).
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code when the output could not be written (a full disk); a closed pipe is not one.
pub const EXIT_OUTPUT: u8 = 3;

/// Standard output with the first write error remembered; after it nothing more is written.
#[derive(Default)]
pub struct Output {
    failed: Option<io::Error>,
}

impl Output {
    pub fn new() -> Output {
        Output::default()
    }

    /// Writes `text` and a newline.
    pub fn line(&mut self, text: &str) {
        self.write(format_args!("{text}\n"));
    }

    /// Writes `text` as it is.
    pub fn text(&mut self, text: &str) {
        self.write(format_args!("{text}"));
    }

    fn write(&mut self, args: std::fmt::Arguments<'_>) {
        if self.failed.is_none()
            && let Err(e) = io::stdout().lock().write_fmt(args)
        {
            self.failed = Some(e);
        }
    }

    /// The exit code once everything is written: `code`, unless writing failed for another
    /// reason than a reader that went away.
    pub fn finish(mut self, tr: &Tr, code: ExitCode) -> ExitCode {
        if self.failed.is_none()
            && let Err(e) = io::stdout().lock().flush()
        {
            self.failed = Some(e);
        }
        match self.failed {
            None => code,
            Some(e) if crate::platform::reader_went_away(&e) => code,
            Some(e) => {
                let detail = e.to_string();
                error_line(&tr.f("cli.output_failed", &[("detail", &detail)]));
                ExitCode::from(EXIT_OUTPUT)
            }
        }
    }
}

/// Prints errors to stderr in the reader's language, with paths as the user gave the folder
/// (so an editor can open FILE:LINE:COLUMN), and a count.
pub fn print_errors(tr: &Tr, dir: Option<&std::path::Path>, errors: &[RuleError]) {
    for e in errors {
        error_line(&e.clone().in_folder(dir).text(tr));
    }
    error_line(&tr.n("rules.cli.errors", errors.len() as u64, &[]));
}

/// One line on stderr; if stderr itself cannot be written there is no one left to tell.
pub fn error_line(text: &str) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}

/// Writes what a command produced to `out`: `-` for standard output, else a new file readable
/// by its owner only (`crate::files::write_new`: never through a link, over an existing file
/// only with `force`). Exit 0, or [`EXIT_OUTPUT`] after saying why not.
pub fn write_to(tr: &Tr, out: &std::path::Path, bytes: &[u8], force: bool) -> ExitCode {
    use crate::files::WriteRefused;
    if out.as_os_str() == "-" {
        let mut stdout = io::stdout().lock();
        return match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
            // The reader left (`| head`): nothing to say.
            Err(e) if crate::platform::reader_went_away(&e) => ExitCode::SUCCESS,
            Err(e) => {
                error_line(&tr.f("cli.output_failed", &[("detail", &e.to_string())]));
                ExitCode::from(EXIT_OUTPUT)
            }
            Ok(()) => ExitCode::SUCCESS,
        };
    }
    let path = crate::i18n::printable(&out.display().to_string());
    let message = match crate::files::write_new(out, bytes, force) {
        Ok(()) => return ExitCode::SUCCESS,
        Err(WriteRefused::Exists) => tr.f("files.exists", &[("path", &path)]),
        Err(WriteRefused::Link) => tr.f("files.link", &[("path", &path)]),
        Err(WriteRefused::Io(e)) => tr.f(
            "print.cannot_write",
            &[("path", &path), ("detail", &e.to_string())],
        ),
    };
    error_line(&message);
    ExitCode::from(EXIT_OUTPUT)
}
