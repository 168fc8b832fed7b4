//! `regdesk checklist --facts FILE|- [--date] [--rules DIR] [--format json|text] [--what-if]`.

use std::io::Read;
use std::process::ExitCode;

use super::{EXIT_BAD_INPUT, EXIT_FAILED, load_or_report, print_errors};
use crate::cli::{ChecklistArgs, Cli, Format};
use crate::i18n::Tr;
use crate::rules::{EvalOptions, FactTable, Facts, evaluate, loader, report};

/// Parses facts JSON; errors name the field (`applicant.status: ...`) and the position.
pub fn parse_facts(json: &str) -> Result<Facts, String> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if path == "." {
            inner.to_string()
        } else {
            format!("{path}: {inner}")
        }
    })
}

fn read_input(source: &str) -> std::io::Result<String> {
    if source == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        Ok(text)
    } else {
        std::fs::read_to_string(source)
    }
}

pub fn checklist(cli: &Cli, args: &ChecklistArgs) -> ExitCode {
    let tr = Tr::new(cli.language());
    let bad_input = |message: String| {
        eprintln!("{}", tr.f("cli.facts_error", &[("message", &message)]));
        ExitCode::from(EXIT_BAD_INPUT)
    };
    let json = match read_input(&args.facts) {
        Ok(j) => j,
        Err(e) => {
            let detail = e.to_string();
            return bad_input(tr.f(
                "cli.cannot_read",
                &[("path", &args.facts), ("detail", &detail)],
            ));
        }
    };
    // serde's own wording (field path first) is kept: it names the field and the position.
    let facts = match parse_facts(&json) {
        Ok(f) => f,
        Err(e) => return bad_input(e),
    };
    let date = args
        .date
        .or(facts.date)
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let table = match FactTable::build(&facts, date) {
        Ok(t) => t,
        Err(errors) => {
            for e in &errors {
                eprintln!("{}", tr.f("cli.facts_error", &[("message", &e.text(&tr))]));
            }
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let dir = cli.rules.as_deref();
    let files = match loader::files(dir, false) {
        Ok(f) => f,
        Err(errors) => {
            print_errors(&tr, dir, &errors);
            return ExitCode::from(EXIT_FAILED);
        }
    };
    let Some(loaded) = load_or_report(&tr, dir, &files) else {
        return ExitCode::from(EXIT_FAILED);
    };
    let result = evaluate(
        &loaded.set,
        &table,
        date,
        EvalOptions {
            what_if: args.what_if,
        },
    );
    match args.format {
        Format::Json => match serde_json::to_string_pretty(&result) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("{}", tr.f("cli.error", &[("message", &e.to_string())]));
                return ExitCode::from(EXIT_FAILED);
            }
        },
        Format::Text => print!("{}", report::render(&result, &loaded.set, &tr)),
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_wrong_types_name_the_field() {
        let e = parse_facts(r#"{ "applicant": { "agee": 5 } }"#).unwrap_err();
        assert!(e.starts_with("applicant.agee: unknown field `agee`"), "{e}");
        let e = parse_facts(r#"{ "dwelling": { "owners": "two" } }"#).unwrap_err();
        assert!(e.starts_with("dwelling.owners: invalid type"), "{e}");
        let e = parse_facts(r#"{ "date": "2026-02-30" }"#).unwrap_err();
        assert!(e.starts_with("date:"), "{e}");
    }

    #[test]
    fn the_issue_example_shape_parses() {
        let facts = parse_facts(
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
