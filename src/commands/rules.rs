//! `regdesk rules check|test [DIR]`.

use std::process::ExitCode;

use super::{EXIT_FAILED, load_or_report, print_errors, rule_files};
use crate::cli::{Cli, RulesAction};
use crate::rules::scenarios;

pub fn rules(_cli: &Cli, action: &RulesAction) -> ExitCode {
    match action {
        RulesAction::Check { dir } => check(dir.as_deref()),
        RulesAction::Test { dir } => test(dir.as_deref()),
    }
}

fn check(dir: Option<&std::path::Path>) -> ExitCode {
    let files = match rule_files(dir, false) {
        Ok(f) => f,
        Err(errors) => return report(dir, &errors),
    };
    let Some(loaded) = load_or_report(dir, &files) else {
        return ExitCode::from(EXIT_FAILED);
    };
    let set = &loaded.set;
    for w in &loaded.warnings {
        println!("warning: {w}");
    }
    println!(
        "ok: {} {}: {} rules, sha256 {}",
        set.id,
        set.version,
        set.rules.len(),
        set.sha256
    );
    ExitCode::SUCCESS
}

fn test(dir: Option<&std::path::Path>) -> ExitCode {
    let files = match rule_files(dir, true) {
        Ok(f) => f,
        Err(errors) => return report(dir, &errors),
    };
    let Some(loaded) = load_or_report(dir, &files) else {
        return ExitCode::from(EXIT_FAILED);
    };
    let scenarios = match scenarios::parse(&files) {
        Ok(s) => s,
        Err(errors) => return report(dir, &errors),
    };
    let outcomes = scenarios::run(&loaded.set, &scenarios);
    let mut failed = 0usize;
    for o in outcomes.iter().filter(|o| !o.failures.is_empty()) {
        failed += 1;
        println!(
            "FAIL {}:{} {}",
            o.scenario.file, o.scenario.line, o.scenario.scenario.name
        );
        for f in &o.failures {
            println!("  - {f}");
        }
    }
    // Coverage gaps count as failures: a rule no scenario fires, a date not tested on both sides.
    let gaps: Vec<String> = scenarios::rules_never_fired(&loaded.set, &scenarios)
        .into_iter()
        .map(|id| format!("rule '{id}' is fired by no scenario"))
        .chain(scenarios::untested_boundaries(&loaded.set, &scenarios))
        .collect();
    for gap in &gaps {
        println!("FAIL coverage: {gap}");
    }
    let passed = outcomes.len() - failed;
    println!("{passed} passed, {} failed", failed + gaps.len());
    if failed + gaps.len() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    }
}

fn report(dir: Option<&std::path::Path>, errors: &[crate::rules::RuleError]) -> ExitCode {
    print_errors(dir, errors);
    ExitCode::from(EXIT_FAILED)
}
