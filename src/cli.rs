//! The command line. `regdesk` alone opens the desk; subcommands (rules, checklist, export ...)
//! come with later capabilities and hang off [`Command`].

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::i18n::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "regdesk",
    version,
    about = "Desk for registration at place of residence (Kazakhstan)"
)]
pub struct Cli {
    /// Database file (created on first start). Default: regdesk.sqlite in the user's data folder.
    #[arg(long, value_name = "PATH", global = true)]
    pub db: Option<PathBuf>,

    /// Interface language: ru, kk or en. Default: from LANG, else ru.
    #[arg(long, value_name = "LANG", global = true)]
    pub lang: Option<Lang>,

    /// Training mode on a separate database of fictional data, marked TRAINING on screen.
    #[arg(long, global = true)]
    pub training: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the terminal desk (the default when no subcommand is given).
    Desk,
}
