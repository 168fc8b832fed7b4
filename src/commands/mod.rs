//! Subcommands that run without the terminal desk: they read files, print and exit with a
//! code scripts can rely on (documented in the README).

pub mod access;
mod backup;
mod checklist;
mod config;
mod demo;
mod encrypt;
pub mod lookup;
mod operator;
pub mod output;
mod print;
mod rules;
pub mod unlock;

pub use backup::{backup, restore, retention};
pub use checklist::checklist;
pub use config::config;
pub use demo::{demo, generate as generate_demo};
pub use encrypt::{encrypt, key_file, rekey};
pub use lookup::{audit, due, expire, lookup, report};
pub use operator::operator;
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

/// The UTC timestamps at which a local day starts and the next one starts, as the store
/// compares them.
pub fn local_day_bounds(date: chrono::NaiveDate) -> (String, String) {
    use chrono::{Datelike, TimeZone};
    let start = |d: chrono::NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        chrono::Local
            .from_local_datetime(&midnight)
            .earliest()
            .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&chrono::Utc))
    };
    let until = match date.succ_opt().filter(|next| next.year() <= 9999) {
        Some(next) => crate::store::timestamp(start(next)),
        // The last day there is: every timestamp of it sorts before this one.
        None => format!("{date}U"),
    };
    (crate::store::timestamp(start(date)), until)
}
