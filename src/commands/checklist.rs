//! `regdesk checklist --facts FILE|- [--date] [--rules DIR] [--format json|text] [--what-if]`.

use std::io::Read;
use std::process::ExitCode;

use super::{EXIT_BAD_INPUT, EXIT_FAILED, print_errors};
use crate::cli::{ChecklistArgs, Cli, Format};
use crate::i18n::{Message, Tr, printable};
use crate::output::{Output, error_line};
use crate::rules::facts::FactError;
use crate::rules::{
    EvalOptions, Evaluation, FactTable, Loaded, evaluate, facts_json, loader, report,
};

/// Reads at most one byte more than a facts document may hold, so an endless source
/// (`/dev/urandom`, a pipe that never closes its end is still bounded by the writer) cannot
/// fill the memory.
fn read_input(source: &str) -> Result<String, Message> {
    let cannot_read = |detail: String| {
        Message::new("cli.cannot_read")
            .arg("path", printable(source))
            .arg("detail", detail)
    };
    let limit = facts_json::MAX_BYTES as u64 + 1;
    let mut bytes = Vec::new();
    let read = if source == "-" {
        std::io::stdin().take(limit).read_to_end(&mut bytes)
    } else {
        std::fs::File::open(source).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    read.map_err(|e| cannot_read(e.to_string()))?;
    if bytes.len() > facts_json::MAX_BYTES {
        return Err(Message::new("rules.facts.too_large").arg("max", facts_json::MAX_BYTES / 1024));
    }
    String::from_utf8(bytes).map_err(|_| Message::new("rules.facts.not_utf8"))
}

/// The facts of `source` evaluated with the rule set in use, on `date` (else the facts'
/// date, else today): what both `checklist` and `print checklist` start from. On failure the
/// errors are printed and the exit code returned (2 bad facts or date, 1 bad rules).
pub(crate) fn evaluate_source(
    cli: &Cli,
    tr: &Tr,
    source: &str,
    date: Option<chrono::NaiveDate>,
    what_if: bool,
) -> Result<(Evaluation, Loaded), ExitCode> {
    let bad_input = |errors: &[FactError]| {
        for e in errors {
            error_line(&tr.f("cli.facts_error", &[("message", &e.text(tr))]));
        }
        ExitCode::from(EXIT_BAD_INPUT)
    };
    let json = read_input(source).map_err(|message| {
        error_line(&tr.f("cli.facts_error", &[("message", &message.text(tr))]));
        ExitCode::from(EXIT_BAD_INPUT)
    })?;
    let facts = facts_json::parse(&json).map_err(|errors| bad_input(&errors))?;
    let date = date
        .or(facts.date)
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let table = FactTable::build(&facts, date).map_err(|errors| bad_input(&errors))?;
    let loaded = load_rules(cli, tr)?;
    let result =
        evaluate(&loaded.set, &table, date, EvalOptions { what_if }).map_err(|not_covered| {
            bad_input(&[FactError {
                field: "date".into(),
                message: not_covered.message(&loaded.set),
            }])
        })?;
    Ok((result, loaded))
}

/// The rule set of `--rules` (else the built-in one); a bad set prints its errors.
pub(super) fn load_rules(cli: &Cli, tr: &Tr) -> Result<loader::Loaded, ExitCode> {
    let dir = cli.rules.as_deref();
    loader::load(dir).map_err(|errors| {
        print_errors(tr, dir, &errors);
        ExitCode::from(EXIT_FAILED)
    })
}

pub fn checklist(cli: &Cli, args: &ChecklistArgs) -> ExitCode {
    let tr = Tr::new(cli.language());
    let (result, loaded) = match evaluate_source(cli, &tr, &args.facts, args.date, args.what_if) {
        Ok(evaluated) => evaluated,
        Err(code) => return code,
    };
    let mut out = Output::new();
    match args.format {
        Format::Json => match serde_json::to_string_pretty(&result) {
            Ok(json) => out.line(&json),
            Err(e) => {
                error_line(&tr.f("cli.error", &[("message", &e.to_string())]));
                return ExitCode::from(EXIT_FAILED);
            }
        },
        Format::Text => out.text(&report::render(&result, &loaded.set, &tr)),
    }
    out.finish(&tr, ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use crate::rules::facts_json::parse;

    #[test]
    fn the_issue_example_shape_parses() {
        let facts = parse(
            r#"{ "date": "2026-11-21", "service": "temporary", "stay_days": 180, "city": "almaty",
                 "applicant": { "birth_date": "1990-02-28", "status": "citizen", "capacity": "full",
                   "acts_through": "self", "arrived_from_abroad": false, "has_passport": true,
                   "has_deregistration_document": false, "relative_of_owner": false },
                 "dwelling": { "kind": "private", "has_title_documents": true, "applicant_relation": "none",
                   "owners": 1, "owner_capacity": "full", "useful_area_m2": 45.0, "registered_persons": 2 } }"#,
        )
        .unwrap();
        assert_eq!(facts.stay_days, Some(180));
    }
}
