//! The seeded training database: the curriculum's seeded cases as applicants and
//! applications, in the statuses and with the histories the curriculum gives them, each with
//! the decision the rules in use come to. Pure: cases and a rule set in, rows out; the store
//! writes them (`Store::reset_training`).

use crate::core::{ApplicationStatus, Iin};
use crate::demo::{Application, Person, Rng, consent_kinds, giver_name};
use crate::i18n::Message;
use crate::rules::{EvalOptions, FactTable, RuleSet, evaluate};

use super::curriculum::Located;

/// What the seeded training database holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Seeded {
    /// The people and their applications; each application's `template` indexes `records`.
    pub people: Vec<(Person, Vec<Application>)>,
    /// The decision record of each application: its facts and the rules' evaluation.
    pub records: Vec<String>,
}

impl Seeded {
    pub fn applications(&self) -> usize {
        self.people.iter().map(|(_, a)| a.len()).sum()
    }
}

/// The seeded state of the built-in curriculum under `set`, or why it cannot be made (a
/// curriculum case that no longer holds under the rules in use), for the command line and
/// the desk alike.
pub fn from_curriculum(set: &RuleSet) -> Result<Seeded, Message> {
    let cases = super::curriculum::parse(super::curriculum::embedded()).map_err(|e| e.message)?;
    seeded(set, &cases)
}

/// The seeded cases of the curriculum, decided by `set`; refused, naming the case, when a
/// case does not hold (the same checks as `rules test`).
pub fn seeded(set: &RuleSet, cases: &[Located]) -> Result<Seeded, Message> {
    seeded_cases(set, cases).map_err(|(id, message)| {
        Message::new("training.reset.case_fails")
            .arg("id", &id)
            .arg_message("message", message)
    })
}

fn seeded_cases(set: &RuleSet, cases: &[Located]) -> Result<Seeded, (String, Message)> {
    let mut out = Seeded::default();
    for located in cases {
        let case = &located.case;
        let named = |m: Message| (case.id.clone(), m);
        let Some(steps) = case.seeded_steps(set).map_err(named)? else {
            continue;
        };
        let Some(seed) = &case.seed else { continue };
        let scenario = case.scenario().map_err(named)?;
        let evaluation = FactTable::build(&scenario.facts, case.date)
            .map_err(|e| {
                named(
                    e.into_iter()
                        .next()
                        .map(|f| f.message)
                        .unwrap_or_else(|| Message::new("training.curriculum.seed.not_proceed")),
                )
            })
            .and_then(|t| {
                evaluate(set, &t, case.date, EvalOptions::default())
                    .map_err(|_| named(Message::new("training.curriculum.seed.not_proceed")))
            })?;
        let iin = Iin::parse(&case.iin).map_err(|_| {
            named(Message::new("training.curriculum.bad_iin").arg("iin", &case.iin))
        })?;
        let person = Person {
            iin: case.iin.clone(),
            surname: case.surname.clone(),
            given_name: case.given_name.clone(),
            patronymic: (!case.patronymic.is_empty()).then(|| case.patronymic.clone()),
            birth_date: iin.birth_date(),
            sex: iin.sex(),
            citizenship: scenario
                .facts
                .applicant
                .status
                .clone()
                .unwrap_or_else(|| "citizen".to_owned()),
        };
        // The owners and co-owners who consented: fictional names, the same on every reset.
        let mut rng = Rng::new(located.line as u64);
        let mut consents: Vec<(&str, String)> = consent_kinds(&evaluation)
            .into_iter()
            .map(|kind| (kind, giver_name(&mut rng)))
            .collect();
        let first = steps[0].0;
        if matches!(
            first,
            ApplicationStatus::AwaitingConsent | ApplicationStatus::Draft
        ) {
            // Still waiting for the last of them.
            consents.pop();
        }
        let last = steps.last().map(|s| s.0);
        let follow_up = last == Some(ApplicationStatus::Registered)
            && evaluation
                .fired
                .iter()
                .any(|f| f.rule == "arrival_without_deregistration");
        let temporary = case.claims.registration.as_deref() == Some("temporary");
        let application = Application {
            year: chrono::Datelike::year(&case.date),
            registration_type: if temporary { "temporary" } else { "permanent" },
            period_months: seed.months,
            city: seed.city.clone(),
            street: seed.street.clone(),
            house: seed.house,
            apartment: seed.apartment,
            dwelling_kind: scenario
                .facts
                .dwelling
                .kind
                .clone()
                .unwrap_or_else(|| "private".to_owned()),
            steps,
            template: out.records.len(),
            consents,
            // Seen at the desk when it was submitted; a draft has none noted yet.
            documents: if first == ApplicationStatus::Draft {
                Vec::new()
            } else {
                evaluation
                    .documents
                    .iter()
                    .filter(|d| !d.optional)
                    .map(|d| {
                        let document = d.one_of.first().cloned().unwrap_or_default();
                        (d.id.clone(), document, d.party.clone())
                    })
                    .collect()
            },
            follow_up,
        };
        let mut facts = serde_json::to_value(&scenario.facts).unwrap_or_default();
        drop_nulls(&mut facts);
        let record = serde_json::json!({ "facts": facts, "evaluation": evaluation });
        out.records.push(record.to_string());
        out.people.push((person, vec![application]));
    }
    Ok(out)
}

/// The facts a case does not give are left out of its record, not written as null.
fn drop_nulls(value: &mut serde_json::Value) {
    if let serde_json::Value::Object(map) = value {
        map.retain(|_, v| !v.is_null());
        map.values_mut().for_each(drop_nulls);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::loader;
    use crate::training::curriculum;

    fn shipped() -> Seeded {
        let set = loader::parse(&loader::embedded()).unwrap().set;
        seeded(&set, &curriculum::parse(curriculum::embedded()).unwrap()).unwrap()
    }

    /// The seeded database holds applications in every status, each history one the life
    /// cycle allows, and the rules' decision record of each.
    #[test]
    fn the_seed_has_every_status_with_a_history_the_life_cycle_allows() {
        let seeded = shipped();
        let mut last = std::collections::HashSet::new();
        for (person, applications) in &seeded.people {
            assert!(Iin::parse(&person.iin).is_ok());
            for a in applications {
                for pair in a.steps.windows(2) {
                    assert!(pair[0].0.change_to(pair[1].0).is_ok(), "{:?}", a.steps);
                    assert!(pair[0].1 < pair[1].1);
                }
                last.insert(a.steps.last().unwrap().0);
                let record: serde_json::Value =
                    serde_json::from_str(&seeded.records[a.template]).unwrap();
                assert_eq!(record["evaluation"]["decision"], "proceed");
                assert_eq!(
                    record["evaluation"]["registration"].as_str(),
                    Some(a.registration_type)
                );
                assert!(record["facts"]["applicant"]["birth_date"].is_string());
            }
        }
        assert_eq!(last.len(), ApplicationStatus::ALL.len(), "{last:?}");
        assert_eq!(seeded.applications(), 14);
    }

    /// A history the life cycle does not allow is refused, naming the case.
    #[test]
    fn a_seed_the_life_cycle_does_not_allow_names_its_case() {
        let set = loader::parse(&loader::embedded()).unwrap().set;
        let text = curriculum::embedded().replacen(
            r#"history = ["submitted", "registered"], city = "Алматы""#,
            r#"history = ["registered", "submitted"], city = "Алматы""#,
            1,
        );
        let (id, message) = seeded_cases(&set, &curriculum::parse(&text).unwrap()).unwrap_err();
        assert_eq!(id, "owner");
        assert_eq!(message.key, "training.curriculum.seed.begin");
        let said = seeded(&set, &curriculum::parse(&text).unwrap()).unwrap_err();
        assert_eq!(said.key, "training.reset.case_fails");
        let refused = curriculum::embedded().replacen(
            r#"refusal = "area_norm_exceeded""#,
            r#"refusal = "no_such_reason""#,
            1,
        );
        let failed = curriculum::check(&set, &curriculum::parse(&refused).unwrap());
        assert_eq!(failed.len(), 1);
        assert_eq!(
            failed[0].1[0].key,
            "training.curriculum.seed.refusal_unknown"
        );
    }
}
