//! Three-valued evaluation of conditions: a fact that is not known makes a comparison
//! *unknown*, and unknowns combine the Kleene way (false AND unknown is false, true OR unknown
//! is true). A rule whose condition is unknown is *pending* on the facts it still needs.

use super::facts::{FactTable, FactValue};
use super::model::{Condition, Scalar, Test};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    True,
    False,
    Unknown,
}

/// Evaluates `condition`; when the result is unknown, `missing` lists the facts that would
/// decide it.
pub fn evaluate(condition: &Condition, facts: &FactTable, missing: &mut Vec<String>) -> Truth {
    match condition {
        Condition::Fact { fact, test } => match facts.get(fact) {
            Some(value) => {
                if test_holds(test, value) {
                    Truth::True
                } else {
                    Truth::False
                }
            }
            None => {
                if !missing.contains(fact) {
                    missing.push(fact.clone());
                }
                Truth::Unknown
            }
        },
        Condition::All(parts) => {
            let mut result = Truth::True;
            let mut unknown_facts = Vec::new();
            for part in parts {
                match evaluate(part, facts, &mut unknown_facts) {
                    Truth::False => return Truth::False,
                    Truth::Unknown => result = Truth::Unknown,
                    Truth::True => {}
                }
            }
            merge(missing, unknown_facts, result)
        }
        Condition::Any(parts) => {
            let mut result = Truth::False;
            let mut unknown_facts = Vec::new();
            for part in parts {
                match evaluate(part, facts, &mut unknown_facts) {
                    Truth::True => return Truth::True,
                    Truth::Unknown => result = Truth::Unknown,
                    Truth::False => {}
                }
            }
            merge(missing, unknown_facts, result)
        }
        Condition::Not(inner) => match evaluate(inner, facts, missing) {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        },
    }
}

/// Keeps the facts a combination was missing only if they matter to its result.
fn merge(missing: &mut Vec<String>, found: Vec<String>, result: Truth) -> Truth {
    if result == Truth::Unknown {
        for fact in found {
            if !missing.contains(&fact) {
                missing.push(fact);
            }
        }
    }
    result
}

fn scalar_matches(scalar: &Scalar, value: &FactValue) -> bool {
    match (scalar, value) {
        (Scalar::Text(a), FactValue::Text(b)) => a == b,
        (Scalar::Bool(a), FactValue::Bool(b)) => a == b,
        (Scalar::Number(a), FactValue::Number(b)) => (a - b).abs() < 1e-9,
        _ => false,
    }
}

fn number(value: &FactValue) -> Option<f64> {
    match value {
        FactValue::Number(n) => Some(*n),
        _ => None,
    }
}

fn test_holds(test: &Test, value: &FactValue) -> bool {
    match test {
        Test::Eq(s) => scalar_matches(s, value),
        Test::Ne(s) => !scalar_matches(s, value),
        Test::In(list) => list.iter().any(|s| scalar_matches(s, value)),
        Test::NotIn(list) => !list.iter().any(|s| scalar_matches(s, value)),
        Test::Lt(c) => number(value).is_some_and(|n| n < *c),
        Test::Le(c) => number(value).is_some_and(|n| n <= *c),
        Test::Gt(c) => number(value).is_some_and(|n| n > *c),
        Test::Ge(c) => number(value).is_some_and(|n| n >= *c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(id: &str, test: Test) -> Condition {
        Condition::Fact {
            fact: id.into(),
            test,
        }
    }

    fn table(pairs: &[(&'static str, FactValue)]) -> FactTable {
        let mut t = FactTable::default();
        for (k, v) in pairs {
            t.set(k, v.clone());
        }
        t
    }

    #[test]
    fn comparisons() {
        let t = table(&[
            ("age", FactValue::Number(14.0)),
            ("kind", FactValue::Text("private".into())),
        ]);
        let mut m = Vec::new();
        assert_eq!(
            evaluate(&fact("age", Test::Lt(14.0)), &t, &mut m),
            Truth::False
        );
        assert_eq!(
            evaluate(&fact("age", Test::Ge(14.0)), &t, &mut m),
            Truth::True
        );
        assert_eq!(
            evaluate(&fact("age", Test::Le(14.0)), &t, &mut m),
            Truth::True
        );
        assert_eq!(
            evaluate(&fact("age", Test::Gt(14.0)), &t, &mut m),
            Truth::False
        );
        let kinds = vec![
            Scalar::Text("private".into()),
            Scalar::Text("organization".into()),
        ];
        assert_eq!(
            evaluate(&fact("kind", Test::In(kinds.clone())), &t, &mut m),
            Truth::True
        );
        assert_eq!(
            evaluate(&fact("kind", Test::NotIn(kinds)), &t, &mut m),
            Truth::False
        );
        assert_eq!(
            evaluate(
                &fact("kind", Test::Ne(Scalar::Text("private".into()))),
                &t,
                &mut m
            ),
            Truth::False
        );
        assert!(m.is_empty());
    }

    #[test]
    fn unknown_follows_kleene_logic_and_names_only_deciding_facts() {
        let t = table(&[("known", FactValue::Bool(false))]);
        let known_false = fact("known", Test::Eq(Scalar::Bool(true)));
        let unknown = fact("missing", Test::Eq(Scalar::Bool(true)));

        let mut m = Vec::new();
        assert_eq!(
            evaluate(
                &Condition::All(vec![known_false.clone(), unknown.clone()]),
                &t,
                &mut m
            ),
            Truth::False
        );
        assert!(m.is_empty(), "a false conjunct decides: nothing is pending");

        let mut m = Vec::new();
        assert_eq!(
            evaluate(
                &Condition::Any(vec![known_false.clone(), unknown.clone()]),
                &t,
                &mut m
            ),
            Truth::Unknown
        );
        assert_eq!(m, vec!["missing".to_string()]);

        let mut m = Vec::new();
        assert_eq!(
            evaluate(&Condition::Not(Box::new(unknown)), &t, &mut m),
            Truth::Unknown
        );
        assert_eq!(
            evaluate(&Condition::Not(Box::new(known_false)), &t, &mut m),
            Truth::True
        );
        assert_eq!(evaluate(&Condition::always(), &t, &mut m), Truth::True);
    }
}
