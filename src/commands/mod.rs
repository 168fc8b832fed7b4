//! Subcommands that run without the terminal desk: they read files, print and exit with a
//! code scripts can rely on (documented in the README).

mod checklist;
mod rules;

pub use checklist::checklist;
pub use rules::rules;

use std::path::Path;

use crate::rules::{Loaded, RuleError, RuleFile, loader};

/// Exit code for invalid rules or failed tests.
pub const EXIT_FAILED: u8 = 1;
/// Exit code for invalid input (facts, options).
pub const EXIT_BAD_INPUT: u8 = 2;

use loader::files as rule_files;

/// Prints errors to stderr, with paths as the user gave the folder (so an editor can open
/// FILE:LINE:COLUMN), and a count.
pub(crate) fn print_errors(dir: Option<&Path>, errors: &[RuleError]) {
    for e in errors {
        let mut e = e.clone();
        if let Some(dir) = dir
            && !Path::new(&e.file).is_absolute()
        {
            e.file = dir.join(&e.file).display().to_string();
        }
        eprintln!("{e}");
    }
    eprintln!("{} error(s)", errors.len());
}

/// Loads a rule set, printing every error on failure.
fn load_or_report(dir: Option<&Path>, files: &[RuleFile]) -> Option<Loaded> {
    match loader::parse(files) {
        Ok(loaded) => Some(loaded),
        Err(errors) => {
            print_errors(dir, &errors);
            None
        }
    }
}
