//! `regdesk print checklist --facts FILE|- [--date] [--format text] --out FILE|-` and
//! `regdesk print receipt NUMBER [--format text] --out FILE|-`.

use std::process::ExitCode;

use super::checklist::evaluate_source;
use crate::cli::{Cli, PrintChecklistArgs, PrintFormat, PrintReceiptArgs, PrintWhat};
use crate::i18n::{Tr, printable};
use crate::output::{Output, error_line};
use crate::print::{receipt, sheet};

pub fn print(cli: &Cli, what: &PrintWhat) -> ExitCode {
    match what {
        PrintWhat::Checklist(args) => checklist(cli, args),
        PrintWhat::Receipt(args) => receipt(cli, args),
    }
}

/// The center profile, or `None` with every problem said (the paper then says it is missing).
fn center(tr: &Tr) -> Option<crate::center::CenterProfile> {
    match crate::center::load(&crate::center::default_path()) {
        Ok(profile) => Some(profile),
        Err(errors) => {
            for e in &errors {
                error_line(&tr.f("rules.cli.warning", &[("message", &e.text(tr))]));
            }
            None
        }
    }
}

fn receipt(cli: &Cli, args: &PrintReceiptArgs) -> ExitCode {
    let tr = Tr::new(cli.language());
    // A reprint never creates a database: no file means no application.
    let mut store = match super::access::open_for(
        cli,
        &tr,
        crate::core::Permission::Lookup,
        "receipt.no_database",
    ) {
        Ok(store) => store,
        Err(code) => return code,
    };
    let application = match store.application(&args.number) {
        Ok(Some(application)) => application,
        Ok(None) => {
            let number = printable(&args.number);
            error_line(&tr.f("receipt.cli_not_found", &[("number", &number)]));
            return ExitCode::from(1);
        }
        Err(error) => {
            error_line(&error.translated(&tr));
            return ExitCode::from(1);
        }
    };
    let rules = match super::checklist::load_rules(cli, &tr) {
        Ok(loaded) => loaded.set,
        Err(code) => return code,
    };
    let printing = receipt::Printing {
        operator: None,
        training: cli.training,
    };
    let paper = receipt::render(&application, &rules, center(&tr).as_ref(), &printing, &tr);
    let reference = format!("receipt-{}", application.number);
    let code = write_paper(
        &tr,
        &args.out,
        (&paper, &reference),
        args.format,
        cli.training,
        args.force,
    );
    if code == ExitCode::SUCCESS {
        let details = serde_json::json!({ "paper": "receipt", "number": application.number, "reprint": true })
            .to_string();
        if let Err(error) = store.append_audit(None, "print.receipt", None, &details) {
            error_line(&error.translated(&tr));
            return ExitCode::from(1);
        }
    }
    code
}

fn checklist(cli: &Cli, args: &PrintChecklistArgs) -> ExitCode {
    let tr = Tr::new(cli.language());
    let (evaluation, loaded) = match evaluate_source(cli, &tr, &args.facts, args.date, false) {
        Ok(evaluated) => evaluated,
        Err(code) => return code,
    };
    // A missing or broken center profile does not stop the sheet: the sheet says the center's
    // details are missing, and the operator is told precisely why.
    let paper = sheet::render(&evaluation, &loaded.set, center(&tr).as_ref(), &tr);
    let reference = tr.t("sheet.title");
    write_paper(
        &tr,
        &args.out,
        (&paper, &reference),
        args.format,
        cli.training,
        args.force,
    )
}

/// Writes a paper to `out` as text or PDF (readable by its owner only), or to standard
/// output for `-`.
fn write_paper(
    tr: &Tr,
    out: &std::path::Path,
    (paper, reference): (&crate::print::Paper, &str),
    format: PrintFormat,
    training: bool,
    force: bool,
) -> ExitCode {
    let bytes = match format {
        PrintFormat::Text => {
            let text = paper.to_text();
            if out.as_os_str() == "-" {
                let mut output = Output::new();
                output.text(&text);
                return output.finish(tr, ExitCode::SUCCESS);
            }
            text.as_bytes().to_vec()
        }
        PrintFormat::Pdf => {
            let mark = training.then(|| tr.t("print.training_mark"));
            let footer = tr.f("print.footer", &[("reference", reference)]);
            crate::print::pdf::render(paper, mark.as_deref(), Some(&footer))
        }
    };
    crate::output::write_to(tr, out, &bytes, force)
}
