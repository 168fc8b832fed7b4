//! The static check: by enumerating the facts that rules read (every enum value, both booleans,
//! and for numbers the constants the rules compare with and their neighbours), it finds
//! - conflicts: two rules that can apply to the same case at the same time and disagree on
//!   the decision, registration type or channel, with no override between them (load errors);
//! - rules that can never fire (warnings).
//!
//! Only the facts of the rules at hand are enumerated, so the product stays small.

use std::collections::{BTreeMap, BTreeSet};

use super::condition::{Truth, evaluate};
use super::facts::{FactKind, FactTable, FactValue, fact_def};
use super::loader::{Message, RuleError};
use super::model::{Condition, Rule, RuleSet, Test};

/// Combinations above this are not enumerated (reported as a warning instead).
const MAX_COMBINATIONS: usize = 500_000;

/// What the static check found: conflicts are load errors, the rest warnings. Both are
/// located at the rule (file and line of its id).
pub struct Report {
    pub conflicts: Vec<RuleError>,
    pub warnings: Vec<RuleError>,
}

fn at_rule(rule: &Rule, message: Message) -> RuleError {
    RuleError {
        file: rule.origin.file.clone(),
        line: rule.origin.line,
        column: 0,
        message,
    }
}

/// The values worth trying for each fact.
fn domains(set: &RuleSet) -> BTreeMap<&'static str, Vec<FactValue>> {
    let mut constants: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
    fn collect<'a>(c: &'a Condition, out: &mut BTreeMap<&'a str, BTreeSet<i64>>) {
        match c {
            Condition::Fact { fact, test } => {
                let entry = out.entry(fact.as_str()).or_default();
                // Kept in halves (x2): measures get c +- 0.5, whole-number facts c +- 1.
                let mut add = |n: f64| {
                    let half = (n * 2.0).round() as i64;
                    entry.extend([half - 2, half - 1, half, half + 1, half + 2]);
                };
                match test {
                    Test::Lt(n) | Test::Le(n) | Test::Gt(n) | Test::Ge(n) => add(*n),
                    Test::Eq(super::model::Scalar::Number(n))
                    | Test::Ne(super::model::Scalar::Number(n)) => add(*n),
                    Test::In(list) | Test::NotIn(list) => {
                        for s in list {
                            if let super::model::Scalar::Number(n) = s {
                                add(*n);
                            }
                        }
                    }
                    _ => {}
                }
            }
            Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| collect(c, out)),
            Condition::Not(c) => collect(c, out),
        }
    }
    for rule in &set.rules {
        collect(&rule.when, &mut constants);
    }
    let mut out = BTreeMap::new();
    for def in super::facts::FACTS {
        let values = match def.kind {
            FactKind::Enum(values) => values
                .iter()
                .map(|v| FactValue::Text((*v).into()))
                .collect(),
            FactKind::Bool => vec![FactValue::Bool(false), FactValue::Bool(true)],
            FactKind::Integer | FactKind::Number => {
                let mut halves: BTreeSet<i64> = constants.get(def.id).cloned().unwrap_or_default();
                halves.insert(0);
                halves
                    .into_iter()
                    .filter(|h| *h >= 0)
                    .filter(|h| def.kind == FactKind::Number || h % 2 == 0)
                    .map(|h| FactValue::Number(h as f64 / 2.0))
                    .collect()
            }
        };
        out.insert(def.id, values);
    }
    out
}

/// An assignment of the given facts under which every condition is true, if one exists.
/// `None` inside the `Ok` when none exists; `Err` when there are too many to try.
fn witness(
    conditions: &[&Condition],
    domains: &BTreeMap<&'static str, Vec<FactValue>>,
) -> Result<Option<Vec<(&'static str, FactValue)>>, ()> {
    let mut facts: Vec<&'static str> = Vec::new();
    for c in conditions {
        for f in c.facts() {
            if let Some(def) = fact_def(f)
                && !facts.contains(&def.id)
            {
                facts.push(def.id);
            }
        }
    }
    let sizes: Vec<usize> = facts.iter().map(|f| domains[f].len()).collect();
    let total = sizes
        .iter()
        .try_fold(1usize, |acc, n| acc.checked_mul(*n))
        .ok_or(())?;
    if total > MAX_COMBINATIONS {
        return Err(());
    }
    let mut index = vec![0usize; facts.len()];
    for _ in 0..total {
        let mut table = FactTable::default();
        for (i, f) in facts.iter().enumerate() {
            table.set(f, domains[f][index[i]].clone());
        }
        let all_true = conditions
            .iter()
            .all(|c| evaluate(c, &table, &mut Vec::new()) == Truth::True);
        if all_true {
            return Ok(Some(
                facts
                    .iter()
                    .map(|f| (*f, table.get(f).cloned().expect("set above")))
                    .collect(),
            ));
        }
        for i in 0..index.len() {
            index[i] += 1;
            if index[i] < sizes[i] {
                break;
            }
            index[i] = 0;
        }
    }
    Ok(None)
}

/// Whether the two rules can be applied on one date (undated adopted rules and drafts can
/// meet anything once they are put in force).
fn can_meet(a: &Rule, b: &Rule) -> bool {
    match (a.effective_from, b.effective_from) {
        (Some(af), Some(bf)) => {
            a.effective_to.is_none_or(|at| bf < at) && b.effective_to.is_none_or(|bt| af < bt)
        }
        _ => true,
    }
}

fn reaches(set: &RuleSet, from: &str, to: &str, seen: &mut BTreeSet<String>) -> bool {
    if !seen.insert(from.to_owned()) {
        return false;
    }
    set.rules_with_id(from).any(|r| {
        r.overrides
            .iter()
            .any(|o| o == to || reaches(set, o, to, seen))
    })
}

fn disagreement(a: &Rule, b: &Rule) -> Option<(&'static str, String, String)> {
    let (x, y) = (&a.outcome, &b.outcome);
    if let (Some(p), Some(q)) = (x.decision, y.decision)
        && p != q
    {
        return Some(("decision", p.code().into(), q.code().into()));
    }
    if let (Some(p), Some(q)) = (&x.registration, &y.registration)
        && p != q
    {
        return Some(("registration", p.clone(), q.clone()));
    }
    if let (Some(p), Some(q)) = (&x.channel, &y.channel)
        && p != q
    {
        return Some(("channel", p.clone(), q.clone()));
    }
    None
}

fn describe(case: &[(&str, FactValue)]) -> String {
    if case.is_empty() {
        return "any case".into();
    }
    case.iter()
        .map(|(f, v)| format!("{f}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn check(set: &RuleSet) -> Report {
    let domains = domains(set);
    let mut conflicts = Vec::new();
    let mut warnings = Vec::new();
    for (i, a) in set.rules.iter().enumerate() {
        for b in &set.rules[i + 1..] {
            if a.id == b.id || !can_meet(a, b) {
                continue;
            }
            let Some((field, va, vb)) = disagreement(a, b) else {
                continue;
            };
            if reaches(set, &a.id, &b.id, &mut BTreeSet::new())
                || reaches(set, &b.id, &a.id, &mut BTreeSet::new())
            {
                continue;
            }
            match witness(&[&a.when, &b.when], &domains) {
                Ok(Some(case)) => conflicts.push(at_rule(
                    b,
                    Message::new("rules.error.conflict")
                        .arg("a", &a.id)
                        .arg("a_value", va)
                        .arg("b", &b.id)
                        .arg("b_value", vb)
                        .arg("case", describe(&case))
                        .arg("field", field),
                )),
                Ok(None) => {}
                Err(()) => warnings.push(at_rule(
                    b,
                    Message::new("rules.warning.conflict_unchecked")
                        .arg("a", &a.id)
                        .arg("b", &b.id),
                )),
            }
        }
    }
    for rule in &set.rules {
        match witness(&[&rule.when], &domains) {
            Ok(None) => warnings.push(at_rule(
                rule,
                Message::new("rules.warning.never_fires").arg("id", &rule.id),
            )),
            Ok(Some(_)) => {}
            Err(()) => warnings.push(at_rule(
                rule,
                Message::new("rules.warning.fire_unchecked").arg("id", &rule.id),
            )),
        }
    }
    Report {
        conflicts,
        warnings,
    }
}
