//! Writing what a command prints the way Unix tools do: a reader that goes away (`| head -1`,
//! a closed stdout) ends the output quietly and the command keeps its exit code; any other
//! write failure (a full disk) is one line on stderr and its own exit code; and a failing
//! stderr is ignored rather than turned into a panic, so exit codes stay what they promise.

use std::io::{self, Write};
use std::process::ExitCode;

use super::EXIT_OUTPUT;
use crate::i18n::Tr;

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
            Some(e) if e.kind() == io::ErrorKind::BrokenPipe => code,
            Some(e) => {
                let detail = e.to_string();
                error_line(&tr.f("cli.output_failed", &[("detail", &detail)]));
                ExitCode::from(EXIT_OUTPUT)
            }
        }
    }
}

/// One line on stderr; if stderr itself cannot be written there is no one left to tell.
pub fn error_line(text: &str) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}
