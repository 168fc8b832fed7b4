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
mod print;
mod rules;
mod training;

pub use backup::{backup, restore, retention};
pub use checklist::checklist;
pub use config::config;
pub use demo::{demo, generate as generate_demo};
pub use encrypt::{encrypt, key_file, rekey};
pub use lookup::{audit, due, expire, lookup, report};
pub use operator::operator;
pub use print::print;
pub use rules::rules;
pub use training::{lesson, training};

use std::path::Path;

use crate::i18n::Tr;
use crate::rules::{Loaded, RuleFile, loader};

pub use crate::output::{EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OUTPUT, print_errors};

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

pub use crate::clock::local_day_bounds;
