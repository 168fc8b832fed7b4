//! `regdesk print checklist --facts FILE|- [--date] [--format text] --out FILE|-`.

use std::process::ExitCode;

use super::EXIT_OUTPUT;
use super::checklist::evaluate_source;
use super::output::{Output, error_line};
use crate::cli::{Cli, PrintChecklistArgs, PrintWhat};
use crate::i18n::{Tr, printable};
use crate::print::sheet;

pub fn print(cli: &Cli, what: &PrintWhat) -> ExitCode {
    match what {
        PrintWhat::Checklist(args) => checklist(cli, args),
    }
}

fn checklist(cli: &Cli, args: &PrintChecklistArgs) -> ExitCode {
    let tr = Tr::new(cli.language());
    let (evaluation, loaded) = match evaluate_source(cli, &tr, &args.facts, args.date, false) {
        Ok(evaluated) => evaluated,
        Err(code) => return code,
    };
    // A missing or broken center profile does not stop the sheet: the sheet says the center's
    // details are missing, and the operator is told precisely why.
    let center = match crate::center::load(&crate::center::default_path()) {
        Ok(profile) => Some(profile),
        Err(errors) => {
            for e in &errors {
                error_line(&tr.f("rules.cli.warning", &[("message", &e.text(&tr))]));
            }
            None
        }
    };
    let text = sheet::render(&evaluation, &loaded.set, center.as_ref(), &tr);
    if args.out.as_os_str() == "-" {
        let mut out = Output::new();
        out.text(&text);
        return out.finish(&tr, ExitCode::SUCCESS);
    }
    match crate::print::write_private(&args.out, text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let path = printable(&args.out.display().to_string());
            let detail = e.to_string();
            error_line(&tr.f(
                "print.cannot_write",
                &[("path", &path), ("detail", &detail)],
            ));
            ExitCode::from(EXIT_OUTPUT)
        }
    }
}
