//! Subcommands that run without the terminal desk: they read files, print and exit with a
//! code scripts can rely on (documented in the README).

mod checklist;
mod config;
pub mod output;
mod print;
mod rules;

pub use checklist::checklist;
pub use config::config;
pub use print::print;
pub use rules::rules;

use std::path::Path;

use crate::i18n::Tr;
use crate::rules::{Loaded, RuleError, RuleFile, loader};

/// Exit code for invalid rules or failed tests.
pub const EXIT_FAILED: u8 = 1;
/// Exit code for invalid input (facts, options).
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code when the output could not be written (a full disk); a closed pipe is not one.
pub const EXIT_OUTPUT: u8 = 3;

/// Prints errors to stderr in the reader's language, with paths as the user gave the folder
/// (so an editor can open FILE:LINE:COLUMN), and a count.
pub(crate) fn print_errors(tr: &Tr, dir: Option<&Path>, errors: &[RuleError]) {
    for e in errors {
        output::error_line(&e.clone().in_folder(dir).text(tr));
    }
    output::error_line(&tr.n("rules.cli.errors", errors.len() as u64, &[]));
}

/// Loads a rule set, printing every error on failure.
fn load_or_report(tr: &Tr, dir: Option<&Path>, files: &[RuleFile]) -> Option<Loaded> {
    match loader::parse(files) {
        Ok(loaded) => Some(loaded),
        Err(errors) => {
            print_errors(tr, dir, &errors);
            None
        }
    }
}
