//! `regdesk rules check|test [DIR]`.

use std::path::Path;
use std::process::ExitCode;

use super::{EXIT_FAILED, load_or_report, print_errors};
use crate::cli::{Cli, RulesAction};
use crate::i18n::Tr;
use crate::output::Output;
use crate::rules::loader::{self, Message};
use crate::rules::scenarios;

pub fn rules(cli: &Cli, action: &RulesAction) -> ExitCode {
    let tr = Tr::new(cli.language());
    // The folder given to the subcommand, else --rules / REGDESK_RULES, else the built-in set.
    match action {
        RulesAction::Check { dir } => check(&tr, dir.as_deref().or(cli.rules.as_deref())),
        RulesAction::Test { dir } => test(&tr, dir.as_deref().or(cli.rules.as_deref())),
    }
}

fn check(tr: &Tr, dir: Option<&Path>) -> ExitCode {
    let loaded = match loader::load(dir) {
        Ok(loaded) => loaded,
        Err(errors) => return report(tr, dir, &errors),
    };
    let set = &loaded.set;
    let mut out = Output::new();
    for w in &loaded.warnings {
        out.line(&tr.f("rules.cli.warning", &[("message", &w.text(tr))]));
    }
    let count = set.rules.len().to_string();
    let args = [
        ("id", set.id.as_str()),
        ("version", &set.version),
        ("count", &count),
        ("sha256", &set.sha256),
    ];
    out.line(&tr.f("rules.cli.ok", &args));
    out.finish(tr, ExitCode::SUCCESS)
}

fn test(tr: &Tr, dir: Option<&Path>) -> ExitCode {
    let files = match loader::files(dir, true) {
        Ok(f) => f,
        Err(errors) => return report(tr, dir, &errors),
    };
    let Some(loaded) = load_or_report(tr, dir, &files) else {
        return ExitCode::from(EXIT_FAILED);
    };
    let scenarios = match scenarios::parse(&files) {
        Ok(s) => s,
        Err(errors) => return report(tr, dir, &errors),
    };
    let outcomes = scenarios::run(&loaded.set, &scenarios);
    let mut out = Output::new();
    let mut failed = 0usize;
    for o in outcomes.iter().filter(|o| !o.failures.is_empty()) {
        failed += 1;
        out.line(&format!(
            "FAIL {}:{} {}",
            o.scenario.file, o.scenario.line, o.scenario.scenario.name
        ));
        for f in &o.failures {
            out.line(&format!("  - {}", f.text(tr)));
        }
    }
    // Coverage gaps count as failures: a rule no scenario fires, a date not tested on both sides.
    let gaps: Vec<Message> = scenarios::rules_never_fired(&loaded.set, &scenarios)
        .into_iter()
        .map(|id| Message::new("rules.test.never_fired").arg("id", id))
        .chain(scenarios::untested_boundaries(&loaded.set, &scenarios))
        .collect();
    for gap in &gaps {
        out.line(&format!("FAIL {}", gap.text(tr)));
    }
    // The training curriculum's cases must give what they claim under this set too.
    let curriculum =
        match crate::training::curriculum::parse(crate::training::curriculum::embedded()) {
            Ok(cases) => cases,
            Err(error) => return report(tr, None, &[error]),
        };
    let curriculum_failed = crate::training::curriculum::check(&loaded.set, &curriculum);
    for (case, failures) in &curriculum_failed {
        out.line(&format!(
            "FAIL {}:{} {}",
            crate::training::curriculum::FILE,
            case.line,
            case.case.id
        ));
        for f in failures {
            out.line(&format!("  - {}", f.text(tr)));
        }
    }
    failed += curriculum_failed.len();
    let passed = outcomes.len() + curriculum.len() - failed;
    // This closing line is a stable interface (scripts and CI read it): never translated.
    out.line(&format!("{passed} passed, {} failed", failed + gaps.len()));
    let code = if failed + gaps.len() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    };
    out.finish(tr, code)
}

fn report(tr: &Tr, dir: Option<&Path>, errors: &[crate::rules::RuleError]) -> ExitCode {
    print_errors(tr, dir, errors);
    ExitCode::from(EXIT_FAILED)
}
