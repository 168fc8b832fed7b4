//! The static check: by enumerating the facts that rules read (every enum value, both booleans,
//! and for numbers the constants the rules compare with and their neighbours), it finds
//! - conflicts: two rules that can apply to the same case at the same time and disagree on
//!   the decision, registration type or channel, with no override between them (load errors);
//! - rules that can never fire (warnings).
//!
//! Only the facts of the rules at hand are enumerated, a search prunes every partial case
//! that already makes a condition false, and the whole check has a budget: a set built to
//! explode is reported as not fully checked, never a frozen desk.

use std::collections::{BTreeMap, BTreeSet};

use super::condition::{Truth, evaluate};
use super::error::RuleError;
use super::facts::{FactKind, FactTable, FactValue, fact_def};
use super::model::{Condition, Rule, RuleSet, Scalar, Test};
use crate::i18n::Message;

/// How many partial cases the whole check may try. Pruning keeps real sets far below it
/// (the shipped set: a few thousand); a set built to explode stops here and reports the
/// pairs it could not check instead of freezing the desk.
const BUDGET: usize = 2_000_000;

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

/// The values worth trying for each fact the `conditions` read: every enum value, both
/// booleans, and for numbers the constants these conditions compare with and their
/// neighbours (between two neighbouring constants every number behaves the same). Only the
/// conditions at hand count, so the work grows with them, not with the whole set.
fn domains(conditions: &[&Condition]) -> Vec<(&'static str, Vec<FactValue>)> {
    fn collect(c: &Condition, out: &mut BTreeMap<&'static str, BTreeSet<i64>>) {
        match c {
            Condition::Fact { fact, test } => {
                let Some(def) = fact_def(fact) else { return };
                let entry = out.entry(def.id).or_default();
                // Kept in halves (x2): measures get c +- 0.5, whole-number facts c +- 1.
                let mut add = |n: f64| {
                    if n.is_finite() && n.abs() < 1e12 {
                        let half = (n * 2.0).round() as i64;
                        entry.extend([half - 2, half - 1, half, half + 1, half + 2]);
                    }
                };
                match test {
                    Test::Lt(n) | Test::Le(n) | Test::Gt(n) | Test::Ge(n) => add(*n),
                    Test::Eq(Scalar::Number(n)) | Test::Ne(Scalar::Number(n)) => add(*n),
                    Test::In(list) | Test::NotIn(list) => {
                        for s in list {
                            if let Scalar::Number(n) = s {
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
    let mut constants: BTreeMap<&'static str, BTreeSet<i64>> = BTreeMap::new();
    for c in conditions {
        collect(c, &mut constants);
    }
    constants
        .into_iter()
        .filter_map(|(id, halves)| {
            let def = fact_def(id)?;
            let values = match def.kind {
                FactKind::Enum(values) => values
                    .iter()
                    .map(|v| FactValue::Text((*v).into()))
                    .collect(),
                FactKind::Bool => vec![FactValue::Bool(false), FactValue::Bool(true)],
                FactKind::Integer | FactKind::Number => std::iter::once(0)
                    .chain(halves)
                    .collect::<BTreeSet<i64>>()
                    .into_iter()
                    .filter(|h| *h >= 0)
                    .filter(|h| def.kind == FactKind::Number || h % 2 == 0)
                    .map(|h| FactValue::Number(h as f64 / 2.0))
                    .collect(),
            };
            Some((def.id, values))
        })
        .collect()
}

/// The work left to the whole check; a search that runs out reports `Err`.
struct Budget(usize);

/// An assignment of the facts under which every condition is true, if one exists: `Ok(None)`
/// when none exists, `Err` when the budget ran out first. A depth-first search that stops
/// at the first fact value that makes a condition false (three-valued evaluation is
/// monotone: a condition false on a partial case stays false on every completion).
fn witness(
    conditions: &[&Condition],
    budget: &mut Budget,
) -> Result<Option<Vec<(&'static str, FactValue)>>, ()> {
    let mut domains = domains(conditions);
    // A value that alone makes a condition false can be left out (for a range on one fact,
    // every value outside it): a fact with no value left means no case at all.
    let mut table = FactTable::default();
    let mut scratch = Vec::new();
    for (fact, values) in &mut domains {
        values.retain(|value| {
            table.set(fact, value.clone());
            budget.0 = budget.0.saturating_sub(1);
            conditions.iter().all(|c| {
                scratch.clear();
                evaluate(c, &table, &mut scratch) != Truth::False
            })
        });
        table.remove(fact);
        if values.is_empty() {
            return Ok(None);
        }
    }
    // Facts read by more conditions first: they prune most.
    domains.sort_by_key(|(id, values)| {
        let readers = conditions.iter().filter(|c| c.facts().contains(id)).count();
        (std::cmp::Reverse(readers), values.len())
    });
    if search(conditions, &domains, 0, &mut table, &mut scratch, budget)? {
        return Ok(Some(
            domains
                .iter()
                .filter_map(|(id, _)| table.get(id).map(|v| (*id, v.clone())))
                .collect(),
        ));
    }
    Ok(None)
}

fn search(
    conditions: &[&Condition],
    domains: &[(&'static str, Vec<FactValue>)],
    depth: usize,
    table: &mut FactTable,
    scratch: &mut Vec<String>,
    budget: &mut Budget,
) -> Result<bool, ()> {
    budget.0 = budget.0.checked_sub(1).ok_or(())?;
    let mut all_true = true;
    for c in conditions {
        scratch.clear();
        match evaluate(c, table, scratch) {
            Truth::False => return Ok(false),
            Truth::Unknown => all_true = false,
            Truth::True => {}
        }
    }
    if all_true {
        return Ok(true);
    }
    let Some((fact, values)) = domains.get(depth) else {
        return Ok(false);
    };
    for value in values {
        table.set(fact, value.clone());
        if search(conditions, domains, depth + 1, table, scratch, budget)? {
            return Ok(true);
        }
    }
    table.remove(fact);
    Ok(false)
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
    let mut budget = Budget(BUDGET);
    let mut conflicts = Vec::new();
    let mut warnings = Vec::new();
    let mut unchecked = 0usize;
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
            match witness(&[&a.when, &b.when], &mut budget) {
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
                Err(()) if unchecked == 0 => {
                    unchecked += 1;
                    warnings.push(at_rule(
                        b,
                        Message::new("rules.warning.conflict_unchecked")
                            .arg("a", &a.id)
                            .arg("b", &b.id),
                    ));
                }
                Err(()) => unchecked += 1,
            }
        }
    }
    let mut unfired = 0usize;
    for rule in &set.rules {
        match witness(&[&rule.when], &mut budget) {
            Ok(None) => warnings.push(at_rule(
                rule,
                Message::new("rules.warning.never_fires").arg("id", &rule.id),
            )),
            Ok(Some(_)) => {}
            Err(()) if unfired == 0 => {
                unfired += 1;
                warnings.push(at_rule(
                    rule,
                    Message::new("rules.warning.fire_unchecked").arg("id", &rule.id),
                ));
            }
            Err(()) => unfired += 1,
        }
    }
    if unchecked + unfired > 1 {
        // One line for the rest: a set built to explode must not print thousands.
        warnings.push(RuleError {
            // About the set as a whole: placed at its header file.
            file: "ruleset.toml".into(),
            line: 0,
            column: 0,
            message: Message::new("rules.warning.unchecked_total")
                .arg("pairs", unchecked)
                .arg("rules", unfired),
        });
    }
    Report {
        conflicts,
        warnings,
    }
}
