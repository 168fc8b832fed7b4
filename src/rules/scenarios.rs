//! Scenario tests of a rule set (`tests/*.toml`): a date, the facts of a case and what the
//! result must be. Only the expectations written are checked. Also the coverage checks that
//! every rule fires in some scenario and every effective date is tested on both sides.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use super::condition::{Truth, evaluate as evaluate_condition};
use super::engine::{EvalOptions, Evaluation, evaluate};
use super::facts::{FactTable, Facts};
use super::loader::{Message, RuleError, RuleFile, TESTS_DIR};
use super::model::RuleSet;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    scenario: Vec<Spanned<Scenario>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    pub date: NaiveDate,
    #[serde(default)]
    pub what_if: bool,
    pub facts: Facts,
    pub expect: Expect,
}

/// What a scenario requires of the result. Lists of ids are compared as exact sets, except
/// `fired` (must all have fired) and `not_fired` (none may have).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub decision: Option<String>,
    pub reasons: Option<Vec<String>>,
    /// `"none"` for no registration.
    pub registration: Option<String>,
    /// `"none"` for no channel.
    pub channel: Option<String>,
    pub documents: Option<Vec<String>>,
    pub consents: Option<Vec<String>>,
    pub one_of: Option<BTreeMap<String, Vec<String>>>,
    pub optional: Option<Vec<String>>,
    pub counts: Option<BTreeMap<String, u32>>,
    pub pending: Option<Vec<String>>,
    pub upcoming: Option<Vec<String>>,
    pub fired: Option<Vec<String>>,
    pub not_fired: Option<Vec<String>>,
    pub provisional: Option<bool>,
    /// The facts still to ask, as an exact set.
    pub missing: Option<Vec<String>>,
    /// `"date_not_covered"`: the date lies before what the set describes, no result at all;
    /// `"contradiction: FIELD"`: the facts are refused as contradictory, on FIELD.
    pub error: Option<String>,
}

/// The errors a scenario may expect instead of a result: the date is not covered, or the
/// facts contradict each other (`"contradiction: FIELD"`, refused on that field).
const NOT_COVERED: &str = "date_not_covered";
const CONTRADICTION: &str = "contradiction:";

/// A scenario with where it was written.
#[derive(Debug, Clone)]
pub struct Located {
    pub file: String,
    pub line: usize,
    pub scenario: Scenario,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub scenario: Located,
    pub failures: Vec<Message>,
}

/// Parses every `tests/*.toml` among `files`.
pub fn parse(files: &[RuleFile]) -> Result<Vec<Located>, Vec<RuleError>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for file in files.iter().filter(|f| f.name.starts_with(TESTS_DIR)) {
        let src = super::loader::source_for(file);
        match toml::from_str::<ScenarioFile>(&file.text) {
            Ok(parsed) => {
                for s in parsed.scenario {
                    let (line, _) = src.position(s.span().start);
                    out.push(Located {
                        file: file.name.clone(),
                        line,
                        scenario: s.into_inner(),
                    });
                }
            }
            Err(e) => errors.push(src.error(
                e.span().unwrap_or(0..0),
                Message::new("rules.error.syntax").arg("detail", e.message().trim()),
            )),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn set_of(items: &[String]) -> BTreeSet<&str> {
    items.iter().map(String::as_str).collect()
}

fn compare_sets(what: &str, expected: &[String], actual: Vec<&str>, failures: &mut Vec<Message>) {
    let actual: BTreeSet<&str> = actual.into_iter().collect();
    let expected = set_of(expected);
    if actual != expected {
        failures.push(mismatch(
            what,
            format!("{expected:?}"),
            format!("{actual:?}"),
        ));
    }
}

/// "`what`: expected `expected`, got `got`".
fn mismatch(what: &str, expected: impl ToString, got: impl ToString) -> Message {
    Message::new("rules.test.mismatch")
        .arg("what", what)
        .arg("expected", expected)
        .arg("got", got)
}

/// The result of a scenario: bad facts are a failure of the scenario itself (`Err`); a date
/// the set does not cover is `Ok(None)`.
pub fn evaluate_scenario(set: &RuleSet, s: &Scenario) -> Result<Option<Evaluation>, String> {
    let table = FactTable::build(&s.facts, s.date).map_err(|e| {
        e.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    Ok(evaluate(set, &table, s.date, EvalOptions { what_if: s.what_if }).ok())
}

/// One list expectation: its name, what the scenario expects, what the result has.
type SetCheck<'a> = (&'a str, &'a Option<Vec<String>>, Vec<&'a str>);

/// Checks one scenario; the list of failures is empty when it passes.
pub fn check(set: &RuleSet, s: &Scenario) -> Vec<Message> {
    let mut failures = Vec::new();
    let e = &s.expect;
    let expected_error = e.error.as_deref();
    // Facts that contradict each other: refused, on this field.
    if let Some(field) = expected_error.and_then(|x| x.strip_prefix(CONTRADICTION)) {
        let field = field.trim();
        return match FactTable::build(&s.facts, s.date) {
            Err(errors) if errors.iter().any(|x| x.field == field) => Vec::new(),
            Err(errors) => vec![mismatch(
                "error",
                format!("{CONTRADICTION} {field}"),
                errors
                    .iter()
                    .map(|x| x.field.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            )],
            Ok(_) => vec![mismatch(
                "error",
                format!("{CONTRADICTION} {field}"),
                "a result",
            )],
        };
    }
    if let Some(other) = expected_error.filter(|x| *x != NOT_COVERED) {
        return vec![mismatch("error", NOT_COVERED, other)];
    }
    let result = match evaluate_scenario(set, s) {
        Ok(Some(_)) if expected_error.is_some() => {
            return vec![mismatch("error", NOT_COVERED, "a result")];
        }
        Ok(Some(r)) => r,
        Ok(None) if expected_error.is_some() => return Vec::new(),
        Ok(None) => {
            return vec![
                Message::new("rules.test.not_covered")
                    .arg("first", crate::i18n::human_date(set.covers_from)),
            ];
        }
        Err(e) => return vec![Message::new("rules.test.facts").arg("detail", e)],
    };
    if let Some(d) = &e.decision
        && d.as_str() != result.decision.code()
    {
        failures.push(mismatch("decision", d, result.decision));
    }
    let none_or = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
    if let Some(r) = &e.registration
        && *r != none_or(&result.registration)
    {
        failures.push(mismatch("registration", r, none_or(&result.registration)));
    }
    if let Some(c) = &e.channel
        && *c != none_or(&result.channel)
    {
        failures.push(mismatch("channel", c, none_or(&result.channel)));
    }
    if let Some(p) = e.provisional
        && p != result.provisional
    {
        failures.push(mismatch("provisional", p, result.provisional));
    }
    let set_checks: [SetCheck; 7] = [
        (
            "missing",
            &e.missing,
            result.missing.iter().map(String::as_str).collect(),
        ),
        (
            "reasons",
            &e.reasons,
            result.reasons.iter().map(String::as_str).collect(),
        ),
        (
            "documents",
            &e.documents,
            result.documents.iter().map(|d| d.id.as_str()).collect(),
        ),
        (
            "consents",
            &e.consents,
            result.consents.iter().map(|c| c.id.as_str()).collect(),
        ),
        (
            "optional documents",
            &e.optional,
            result
                .documents
                .iter()
                .filter(|d| d.optional)
                .map(|d| d.id.as_str())
                .collect(),
        ),
        (
            "pending",
            &e.pending,
            result.pending.iter().map(|p| p.rule.as_str()).collect(),
        ),
        (
            "upcoming",
            &e.upcoming,
            result.upcoming.iter().map(|u| u.rule.as_str()).collect(),
        ),
    ];
    for (what, expected, actual) in set_checks {
        if let Some(expected) = expected {
            compare_sets(what, expected, actual, &mut failures);
        }
    }
    for (id, docs) in e.one_of.iter().flatten() {
        match result.documents.iter().find(|d| &d.id == id) {
            Some(d) => compare_sets(
                &format!("one_of.{id}"),
                docs,
                d.one_of.iter().map(String::as_str).collect(),
                &mut failures,
            ),
            None => failures.push(Message::new("rules.test.no_document").arg("id", id)),
        }
    }
    for (id, count) in e.counts.iter().flatten() {
        match result.consents.iter().find(|c| &c.id == id) {
            Some(c) if c.count == Some(*count) => {}
            Some(c) => failures.push(mismatch(
                &format!("counts.{id}"),
                count,
                format!("{:?}", c.count),
            )),
            None => failures.push(Message::new("rules.test.no_consent").arg("id", id)),
        }
    }
    let fired: BTreeSet<&str> = result.fired.iter().map(|f| f.rule.as_str()).collect();
    for id in e.fired.iter().flatten() {
        if !fired.contains(id.as_str()) {
            failures.push(
                Message::new("rules.test.not_fired")
                    .arg("id", id)
                    .arg("fired", format!("{fired:?}")),
            );
        }
    }
    for id in e.not_fired.iter().flatten() {
        if fired.contains(id.as_str()) {
            failures.push(Message::new("rules.test.fired").arg("id", id));
        }
    }
    failures
}

pub fn run(set: &RuleSet, scenarios: &[Located]) -> Vec<Outcome> {
    scenarios
        .iter()
        .map(|s| Outcome {
            scenario: s.clone(),
            failures: check(set, &s.scenario),
        })
        .collect()
}

/// Rules that no scenario fires.
pub fn rules_never_fired(set: &RuleSet, scenarios: &[Located]) -> Vec<String> {
    let mut fired: BTreeSet<String> = BTreeSet::new();
    for s in scenarios {
        if let Ok(Some(result)) = evaluate_scenario(set, &s.scenario) {
            fired.extend(result.fired.into_iter().map(|f| f.rule));
        }
    }
    let all: BTreeSet<&str> = set.rules.iter().map(|r| r.id.as_str()).collect();
    all.into_iter()
        .filter(|id| !fired.contains(*id))
        .map(str::to_owned)
        .collect()
}

/// Effective dates without a scenario on each side. For every date D on which some rule starts
/// or stops, there must be a scenario dated before D and one dated on or after D whose facts
/// satisfy the condition of a rule with that boundary: so a test shows the date itself
/// switching rules on or off.
pub fn untested_boundaries(set: &RuleSet, scenarios: &[Located]) -> Vec<Message> {
    let mut by_date: BTreeMap<NaiveDate, Vec<&super::model::Rule>> = BTreeMap::new();
    for rule in &set.rules {
        for boundary in [rule.effective_from, rule.effective_to]
            .into_iter()
            .flatten()
        {
            by_date.entry(boundary).or_default().push(rule);
        }
    }
    let tables: Vec<(NaiveDate, FactTable)> = scenarios
        .iter()
        .filter_map(|s| {
            FactTable::build(&s.scenario.facts, s.scenario.date)
                .ok()
                .map(|t| (s.scenario.date, t))
        })
        .collect();
    let mut missing = Vec::new();
    for (boundary, rules) in by_date {
        let relevant = |date_ok: &dyn Fn(NaiveDate) -> bool| {
            tables.iter().any(|(date, table)| {
                date_ok(*date)
                    && rules
                        .iter()
                        .any(|r| evaluate_condition(&r.when, table, &mut Vec::new()) == Truth::True)
            })
        };
        // Before the set's first date there is no result, only the "not covered" error: a
        // scenario there (checked to expect that error) is the test of that side.
        let before = if boundary == set.covers_from {
            tables.iter().any(|(date, _)| *date < boundary)
        } else {
            relevant(&|d| d < boundary)
        };
        let after = relevant(&|d| d >= boundary);
        if !(before && after) {
            let key = match (before, after) {
                (false, false) => "rules.test.untested_both",
                (false, true) => "rules.test.untested_before",
                _ => "rules.test.untested_after",
            };
            missing.push(Message::new(key).arg("date", crate::i18n::human_date(boundary)));
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::loader::{embedded, parse as parse_rules};

    fn shipped() -> (RuleSet, Vec<Located>) {
        let files = embedded();
        let set = parse_rules(&files).expect("shipped rules load").set;
        let scenarios = parse(&files).expect("shipped scenarios parse");
        (set, scenarios)
    }

    #[test]
    fn every_shipped_scenario_passes() {
        let (set, scenarios) = shipped();
        assert!(scenarios.len() >= 40, "only {} scenarios", scenarios.len());
        let failed: Vec<String> = run(&set, &scenarios)
            .into_iter()
            .filter(|o| !o.failures.is_empty())
            .map(|o| {
                format!(
                    "{}:{} {}: {}",
                    o.scenario.file,
                    o.scenario.line,
                    o.scenario.scenario.name,
                    o.failures
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            })
            .collect();
        assert!(failed.is_empty(), "\n{}", failed.join("\n"));
    }

    #[test]
    fn every_rule_fires_in_some_scenario() {
        let (set, scenarios) = shipped();
        assert_eq!(rules_never_fired(&set, &scenarios), Vec::<String>::new());
    }

    #[test]
    fn every_effective_date_is_tested_on_both_sides() {
        let (set, scenarios) = shipped();
        assert_eq!(untested_boundaries(&set, &scenarios), Vec::<Message>::new());
    }

    #[test]
    fn a_wrong_expectation_fails() {
        let (set, scenarios) = shipped();
        let mut s = scenarios[0].scenario.clone();
        s.expect.decision = Some("refuse".into());
        s.expect.documents = Some(vec!["owner_identity".into()]);
        let failures = check(&set, &s);
        assert_eq!(failures.len(), 2, "{failures:?}");
    }

    #[test]
    fn coverage_checks_notice_a_missing_side() {
        let (set, scenarios) = shipped();
        let without_early: Vec<Located> = scenarios
            .into_iter()
            .filter(|s| s.scenario.date >= set.covers_from)
            .collect();
        let missing = untested_boundaries(&set, &without_early);
        let texts: Vec<String> = missing.iter().map(ToString::to_string).collect();
        assert_eq!(
            texts,
            vec!["effective date 04.02.2020: no scenario before it".to_string()]
        );
    }
}
