//! The `regdesk` binary: parses the command line and hands over to the library.

use std::process::ExitCode;
use std::time::Instant;

use regdesk::cli::Command;

fn main() -> color_eyre::Result<ExitCode> {
    let started = Instant::now();
    // Help and errors in the interface language (`--lang`, else the locale).
    let cli = regdesk::cli_text::parse(std::env::args_os().collect());
    match &cli.command {
        None | Some(Command::Desk) => regdesk::app::run_desk(&cli, started),
        Some(Command::Rules { action }) => Ok(regdesk::commands::rules(&cli, action)),
        Some(Command::Checklist(args)) => Ok(regdesk::commands::checklist(&cli, args)),
        Some(Command::Config { action }) => Ok(regdesk::commands::config(&cli, action)),
        Some(Command::Print { what }) => Ok(regdesk::commands::print(&cli, what)),
        Some(Command::Lookup(args)) => Ok(regdesk::commands::lookup(&cli, args)),
        Some(Command::Expire) => Ok(regdesk::commands::expire(&cli)),
        Some(Command::Due {
            within,
            follow_ups,
            format,
        }) => Ok(regdesk::commands::due(&cli, *within, *follow_ups, *format)),
        Some(Command::Report { what }) => Ok(regdesk::commands::report(&cli, what)),
        Some(Command::Demo { action }) => Ok(regdesk::commands::demo(&cli, action)),
        Some(Command::Training(args)) => match &args.lesson {
            Some(name) => match regdesk::commands::lesson(&cli, name) {
                Ok(lesson) => regdesk::app::run_lesson(&cli, started, lesson, args.speed.delay()),
                Err(code) => Ok(code),
            },
            None => Ok(regdesk::commands::training(&cli, args)),
        },
        Some(Command::Audit { action }) => Ok(regdesk::commands::audit(&cli, action)),
        Some(Command::Operator(args)) => Ok(regdesk::commands::operator(&cli, args)),
        Some(Command::Encrypt) => Ok(regdesk::commands::encrypt(&cli)),
        Some(Command::Rekey) => Ok(regdesk::commands::rekey(&cli)),
        Some(Command::KeyFile { path, role }) => Ok(regdesk::commands::key_file(&cli, path, role)),
        Some(Command::Retention { years, apply }) => {
            Ok(regdesk::commands::retention(&cli, *years, *apply))
        }
        Some(Command::Backup { path }) => Ok(regdesk::commands::backup(&cli, path)),
        Some(Command::Restore { from, replace }) => {
            Ok(regdesk::commands::restore(&cli, from, *replace))
        }
    }
}
