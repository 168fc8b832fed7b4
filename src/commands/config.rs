//! `regdesk config check [FILE]` and `regdesk config example`.

use std::path::Path;
use std::process::ExitCode;

use super::{EXIT_FAILED, print_errors};
use crate::center;
use crate::cli::{Cli, ConfigAction};
use crate::i18n::{Tr, printable};
use crate::output::Output;

pub fn config(cli: &Cli, action: &ConfigAction) -> ExitCode {
    let tr = Tr::new(cli.language());
    let mut out = Output::new();
    match action {
        ConfigAction::Example => {
            out.text(center::EXAMPLE);
            out.finish(&tr, ExitCode::SUCCESS)
        }
        ConfigAction::Check { file } => {
            let path = file.clone().unwrap_or_else(center::default_path);
            match center::load(&path) {
                Ok(profile) => {
                    let name = profile.name.get(tr.lang).to_owned();
                    let bin = profile.bin.to_string();
                    out.line(&tr.f("center.ok", &[("name", &name), ("bin", &bin)]));
                    out.line(&printable(&path.display().to_string()));
                    out.finish(&tr, ExitCode::SUCCESS)
                }
                Err(errors) => {
                    // Messages name the file as given (the profile has no folder of its own).
                    print_errors(&tr, None::<&Path>, &errors);
                    ExitCode::from(EXIT_FAILED)
                }
            }
        }
    }
}
