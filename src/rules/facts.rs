//! What the operator learned at intake, as the rules see it.
//!
//! [`Facts`] is the input shape (JSON for `regdesk checklist`, TOML in scenario tests): every
//! field optional, because an omitted fact is *unknown*, not false. [`FactTable`] is the flat,
//! typed view the engine evaluates against, including the facts derived in Rust (age at the
//! date, area per registered person, other owners). [`FACTS`] is the registry of fact ids that
//! rule files may name; the loader checks every id and enum value against it.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::i18n::Message;

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// Date of evaluation; a `--date` option wins over it; default today.
    pub date: Option<NaiveDate>,
    pub service: Option<String>,
    pub stay_days: Option<u32>,
    pub city: Option<String>,
    /// An owner's or co-owner's consent was refused (absent: none is known to be).
    pub consent_refused: Option<bool>,
    #[serde(default)]
    pub applicant: ApplicantFacts,
    #[serde(default)]
    pub dwelling: DwellingFacts,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicantFacts {
    pub age: Option<u32>,
    pub birth_date: Option<NaiveDate>,
    pub status: Option<String>,
    pub capacity: Option<String>,
    pub acts_through: Option<String>,
    pub arrived_from_abroad: Option<bool>,
    pub has_passport: Option<bool>,
    pub has_deregistration_document: Option<bool>,
    pub relative_of_owner: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DwellingFacts {
    pub kind: Option<String>,
    pub has_title_documents: Option<bool>,
    pub applicant_relation: Option<String>,
    pub owners: Option<u32>,
    pub owner_capacity: Option<String>,
    pub useful_area_m2: Option<f64>,
    pub registered_persons: Option<u32>,
    /// The relation to the dwelling of the person who applies for the applicant (a parent,
    /// guardian or attorney who owns the flat): not the same as being the owner's relative.
    pub representative_relation: Option<String>,
}

/// The type of a fact, and for enumerations the values it may take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FactKind {
    Enum(&'static [&'static str]),
    Bool,
    /// A whole number (ages, counts, days).
    Integer,
    /// A measure (square metres).
    Number,
}

/// A fact rule files may name.
#[derive(Debug, Clone, Copy)]
pub struct FactDef {
    pub id: &'static str,
    pub kind: FactKind,
    /// Derived in Rust from other facts; listed so the rule author knows where it comes from.
    pub derived_from: &'static [&'static str],
}

const fn fact(id: &'static str, kind: FactKind) -> FactDef {
    FactDef {
        id,
        kind,
        derived_from: &[],
    }
}

pub const SERVICES: &[&str] = &["permanent", "temporary"];
pub const CITIES: &[&str] = &["almaty", "astana", "shymkent", "other"];
pub const STATUSES: &[&str] = &[
    "citizen",
    "refugee",
    "foreign_resident",
    "stateless_resident",
    "foreign_visitor",
];
pub const CAPACITIES: &[&str] = &["full", "limited", "incapacitated"];
pub const ACTS_THROUGH: &[&str] = &["self", "legal_representative", "attorney"];
pub const DWELLING_KINDS: &[&str] = &["private", "state_rental", "organization", "akimat_address"];
pub const RELATIONS: &[&str] = &["sole_owner", "co_owner", "listed_in_tenancy", "none"];
pub const OWNER_CAPACITIES: &[&str] = &["full", "minor", "incapacitated"];
pub const REPRESENTATIVE_RELATIONS: &[&str] = &["sole_owner", "co_owner", "none"];

/// The plausible range of each number a case may give (inclusive), checked on every input.
pub const RANGES: &[(&str, f64, f64)] = &[
    ("applicant.age", 0.0, 130.0),
    ("stay_days", 1.0, 36_600.0),
    ("dwelling.owners", 1.0, 50.0),
    ("dwelling.registered_persons", 0.0, 1_000.0),
    ("dwelling.useful_area_m2", 1.0, 100_000.0),
];

/// Dates a case may name: birth dates and evaluation dates alike.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2100;

pub const FACTS: &[FactDef] = &[
    fact("service", FactKind::Enum(SERVICES)),
    fact("stay_days", FactKind::Integer),
    fact("city", FactKind::Enum(CITIES)),
    fact("consent_refused", FactKind::Bool),
    FactDef {
        id: "applicant.age",
        kind: FactKind::Integer,
        derived_from: &["applicant.birth_date", "date"],
    },
    fact("applicant.status", FactKind::Enum(STATUSES)),
    fact("applicant.capacity", FactKind::Enum(CAPACITIES)),
    fact("applicant.acts_through", FactKind::Enum(ACTS_THROUGH)),
    fact("applicant.arrived_from_abroad", FactKind::Bool),
    fact("applicant.has_passport", FactKind::Bool),
    fact("applicant.has_deregistration_document", FactKind::Bool),
    fact("applicant.relative_of_owner", FactKind::Bool),
    fact("dwelling.kind", FactKind::Enum(DWELLING_KINDS)),
    fact("dwelling.has_title_documents", FactKind::Bool),
    fact("dwelling.applicant_relation", FactKind::Enum(RELATIONS)),
    fact("dwelling.owners", FactKind::Integer),
    fact("dwelling.owner_capacity", FactKind::Enum(OWNER_CAPACITIES)),
    fact("dwelling.useful_area_m2", FactKind::Number),
    fact("dwelling.registered_persons", FactKind::Integer),
    fact(
        "dwelling.representative_relation",
        FactKind::Enum(REPRESENTATIVE_RELATIONS),
    ),
    FactDef {
        id: "dwelling.area_per_person",
        kind: FactKind::Number,
        derived_from: &["dwelling.useful_area_m2", "dwelling.registered_persons"],
    },
    FactDef {
        id: "dwelling.other_owners",
        kind: FactKind::Integer,
        derived_from: &["dwelling.owners", "dwelling.applicant_relation"],
    },
];

pub fn fact_def(id: &str) -> Option<&'static FactDef> {
    FACTS.iter().find(|f| f.id == id)
}

/// The facts to ask the applicant for so that `id` becomes known: the fact itself, or for a
/// derived one the inputs it is computed from that are still unknown. The age is asked as
/// such (or as a birth date); the date of the case is never a question.
pub fn to_ask(id: &str, known: &FactTable) -> Vec<String> {
    match fact_def(id) {
        Some(def) if !def.derived_from.is_empty() && def.id != "applicant.age" => def
            .derived_from
            .iter()
            .filter(|f| **f != "date" && known.get(f).is_none())
            .flat_map(|f| to_ask(f, known))
            .collect(),
        _ => vec![id.to_owned()],
    }
}

/// A known value of a fact.
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    Text(String),
    Bool(bool),
    Number(f64),
}

impl std::fmt::Display for FactValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FactValue::Text(t) => f.write_str(t),
            FactValue::Bool(b) => write!(f, "{b}"),
            FactValue::Number(n) => write!(f, "{n}"),
        }
    }
}

/// A fact value outside its allowed set, found when the facts are checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactError {
    /// Dotted path of the field, e.g. `applicant.status`.
    pub field: String,
    pub message: Message,
}

impl FactError {
    /// `field: message` in the reader's language.
    pub fn text(&self, tr: &crate::i18n::Tr) -> String {
        format!("{}: {}", self.field, self.message.text(tr))
    }
}

impl std::fmt::Display for FactError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// The flat, typed facts of one case at one date. Absent ids are unknown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FactTable {
    values: BTreeMap<&'static str, FactValue>,
}

impl FactTable {
    pub fn get(&self, id: &str) -> Option<&FactValue> {
        self.values.get(id)
    }

    pub fn set(&mut self, id: &'static str, value: FactValue) {
        self.values.insert(id, value);
    }

    pub fn remove(&mut self, id: &str) {
        self.values.remove(id);
    }

    pub fn iter(&self) -> impl Iterator<Item = (&&'static str, &FactValue)> {
        self.values.iter()
    }

    /// Builds the table for `facts` as of `date`, checking enumerated values and deriving the
    /// computed facts. All bad values are reported, not just the first.
    pub fn build(facts: &Facts, date: NaiveDate) -> Result<FactTable, Vec<FactError>> {
        let mut table = FactTable::default();
        let mut errors = Vec::new();
        let a = &facts.applicant;
        let d = &facts.dwelling;
        let texts: [(&'static str, &Option<String>); 9] = [
            ("service", &facts.service),
            ("city", &facts.city),
            ("applicant.status", &a.status),
            ("applicant.capacity", &a.capacity),
            ("applicant.acts_through", &a.acts_through),
            ("dwelling.kind", &d.kind),
            ("dwelling.applicant_relation", &d.applicant_relation),
            ("dwelling.owner_capacity", &d.owner_capacity),
            (
                "dwelling.representative_relation",
                &d.representative_relation,
            ),
        ];
        for (id, value) in texts {
            let Some(value) = value else { continue };
            let Some(FactDef {
                kind: FactKind::Enum(allowed),
                ..
            }) = fact_def(id)
            else {
                continue;
            };
            if allowed.contains(&value.as_str()) {
                table.set(id, FactValue::Text(value.clone()));
            } else {
                errors.push(FactError {
                    field: id.to_owned(),
                    message: Message::new("rules.fact.not_one_of")
                        .arg("value", value)
                        .arg("allowed", allowed.join(", ")),
                });
            }
        }
        let bools: [(&'static str, Option<bool>); 6] = [
            // A refusal is an event: none recorded means none.
            (
                "consent_refused",
                Some(facts.consent_refused.unwrap_or(false)),
            ),
            ("applicant.arrived_from_abroad", a.arrived_from_abroad),
            ("applicant.has_passport", a.has_passport),
            (
                "applicant.has_deregistration_document",
                a.has_deregistration_document,
            ),
            ("applicant.relative_of_owner", a.relative_of_owner),
            ("dwelling.has_title_documents", d.has_title_documents),
        ];
        for (id, value) in bools {
            if let Some(b) = value {
                table.set(id, FactValue::Bool(b));
            }
        }
        let numbers: [(&'static str, Option<f64>); 4] = [
            ("stay_days", facts.stay_days.map(f64::from)),
            ("dwelling.owners", d.owners.map(f64::from)),
            ("dwelling.useful_area_m2", d.useful_area_m2),
            (
                "dwelling.registered_persons",
                d.registered_persons.map(f64::from),
            ),
        ];
        for (id, value) in numbers {
            match value {
                Some(n) if !in_range(id, n) => errors.push(out_of_range(id, n)),
                Some(n) => table.set(id, FactValue::Number(n)),
                None => {}
            }
        }
        for (id, value) in [("date", Some(date)), ("applicant.birth_date", a.birth_date)] {
            if let Some(day) = value
                && !(FIRST_YEAR..=LAST_YEAR).contains(&day.year())
            {
                errors.push(FactError {
                    field: id.into(),
                    message: Message::new("rules.fact.date_out_of_range")
                        .arg("value", crate::i18n::human_date(day))
                        .arg("first", FIRST_YEAR)
                        .arg("last", LAST_YEAR),
                });
            }
        }
        let born_age = a.birth_date.map(|born| (born, age_at(born, date)));
        if let Some((born, None)) = born_age {
            errors.push(FactError {
                field: "applicant.birth_date".into(),
                message: Message::new("rules.fact.born_after")
                    .arg("born", crate::i18n::human_date(born))
                    .arg("date", crate::i18n::human_date(date)),
            });
        }
        let age = match (a.age, born_age) {
            (Some(age), Some((born, Some(actual)))) if age != actual => {
                errors.push(FactError {
                    field: "applicant.age".into(),
                    message: Message::new("rules.fact.age_disagrees")
                        .arg("age", age)
                        .arg("born", crate::i18n::human_date(born))
                        .arg("actual", actual),
                });
                None
            }
            (Some(age), _) => Some(age),
            (None, Some((_, actual))) => actual,
            (None, None) => None,
        };
        match age.map(f64::from) {
            Some(n) if !in_range("applicant.age", n) => {
                errors.push(out_of_range("applicant.age", n));
            }
            Some(n) => table.set("applicant.age", FactValue::Number(n)),
            None => {}
        }
        errors.extend(contradictions(facts, age));
        table.derive();
        if errors.is_empty() {
            Ok(table)
        } else {
            Err(errors)
        }
    }

    /// Computes the derived facts from the known ones.
    fn derive(&mut self) {
        let number = |t: &FactTable, id: &str| match t.get(id) {
            Some(FactValue::Number(n)) => Some(*n),
            _ => None,
        };
        if let (Some(area), Some(persons)) = (
            number(self, "dwelling.useful_area_m2"),
            number(self, "dwelling.registered_persons"),
        ) {
            // The applicant is counted: the norm is about the situation after registration.
            self.set(
                "dwelling.area_per_person",
                FactValue::Number(area / (persons + 1.0)),
            );
        }
        // Whether the applicant is a co-owner (the others consent) or not an owner (one owner
        // gives the owner's consent, the rest the co-owners'), the count is owners - 1. It is
        // known only once the relation is known, so that a missing relation stays pending.
        if let (Some(owners), Some(_)) = (
            number(self, "dwelling.owners"),
            self.get("dwelling.applicant_relation"),
        ) {
            self.set(
                "dwelling.other_owners",
                FactValue::Number((owners - 1.0).max(0.0)),
            );
        }
    }
}

fn in_range(id: &str, n: f64) -> bool {
    let (_, low, high) = RANGES
        .iter()
        .find(|(f, _, _)| *f == id)
        .expect("every number fact has a range");
    n.is_finite() && (*low..=*high).contains(&n)
}

pub(crate) fn out_of_range(id: &str, n: f64) -> FactError {
    let (_, low, high) = RANGES
        .iter()
        .find(|(f, _, _)| *f == id)
        .expect("every number fact has a range");
    FactError {
        field: id.to_owned(),
        message: Message::new("rules.fact.out_of_range")
            .arg("value", n)
            .arg("min", low)
            .arg("max", high),
    }
}

/// Facts that cannot all be true of one case. Each is reported on the first field, naming the
/// other, so that neither is silently believed over the other. `age`: the applicant's, as
/// given or computed from the birth date.
fn contradictions(facts: &Facts, age: Option<u32>) -> Vec<FactError> {
    let a = &facts.applicant;
    let d = &facts.dwelling;
    let relation = d.applicant_relation.as_deref();
    let representative = d.representative_relation.as_deref();
    let owner = |r: Option<&str>| matches!(r, Some("sole_owner" | "co_owner"));
    let mut found: Vec<(&str, &str, &'static str)> = Vec::new();
    let mut check = |holds: bool, field, other, key| {
        if holds {
            found.push((field, other, key));
        }
    };
    let owners = d.owners;
    let relation_field = "dwelling.applicant_relation";
    let representative_field = "dwelling.representative_relation";
    check(
        relation == Some("co_owner") && owners == Some(1),
        relation_field,
        "dwelling.owners",
        "rules.fact.co_owner_alone",
    );
    check(
        relation == Some("sole_owner") && owners.is_some_and(|n| n > 1),
        relation_field,
        "dwelling.owners",
        "rules.fact.sole_owner_many",
    );
    check(
        relation == Some("listed_in_tenancy")
            && d.kind.as_deref().is_some_and(|k| k != "state_rental"),
        relation_field,
        "dwelling.kind",
        "rules.fact.tenancy_not_state_rental",
    );
    check(
        (owner(relation) || owner(representative))
            && d.kind.as_deref().is_some_and(|k| k != "private"),
        if owner(relation) {
            relation_field
        } else {
            representative_field
        },
        "dwelling.kind",
        "rules.fact.owner_not_private",
    );
    check(
        owner(representative) && a.acts_through.as_deref() == Some("self"),
        representative_field,
        "applicant.acts_through",
        "rules.fact.representative_without_representation",
    );
    check(
        representative == Some("co_owner") && owners == Some(1),
        representative_field,
        "dwelling.owners",
        "rules.fact.co_owner_alone",
    );
    check(
        representative == Some("sole_owner") && owners.is_some_and(|n| n > 1),
        representative_field,
        "dwelling.owners",
        "rules.fact.sole_owner_many",
    );
    check(
        (relation == Some("sole_owner") && owner(representative))
            || (representative == Some("sole_owner") && owner(relation)),
        representative_field,
        relation_field,
        "rules.fact.two_sole_owners",
    );
    check(
        representative == Some("sole_owner")
            && matches!(d.owner_capacity.as_deref(), Some("minor" | "incapacitated")),
        representative_field,
        "dwelling.owner_capacity",
        "rules.fact.representative_owner_incapable",
    );
    // An adult of full capacity has no legal representative (seed 001: parents, guardians and
    // trustees act for children and for persons a court declared incapacitated); anyone else
    // acts in person or through a notarised power of attorney.
    let adult = age.is_some_and(|n| n >= 18);
    let capable = a.capacity.as_deref() == Some("full");
    check(
        adult && capable && a.acts_through.as_deref() == Some("legal_representative"),
        "applicant.acts_through",
        "applicant.capacity",
        "rules.fact.capable_adult_represented",
    );
    // The applicant is the sole owner: the owner's capacity is the applicant's own.
    let owner_capacity = d.owner_capacity.as_deref();
    check(
        relation == Some("sole_owner")
            && ((owner_capacity == Some("minor") && adult)
                || (owner_capacity == Some("incapacitated") && capable)),
        "dwelling.owner_capacity",
        relation_field,
        "rules.fact.sole_owner_capacity",
    );
    found
        .into_iter()
        .map(|(field, other, key)| FactError {
            field: field.to_owned(),
            message: Message::new(key).arg("other", other),
        })
        .collect()
}

/// Full years between `born` and `date`; `None` if `born` is after `date`.
pub fn age_at(born: NaiveDate, date: NaiveDate) -> Option<u32> {
    if born > date {
        return None;
    }
    let mut years = date.year() - born.year();
    if (date.month(), date.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn age_counts_full_years_including_leap_birthdays() {
        assert_eq!(age_at(date(1990, 2, 28), date(2026, 2, 27)), Some(35));
        assert_eq!(age_at(date(1990, 2, 28), date(2026, 2, 28)), Some(36));
        assert_eq!(age_at(date(2012, 2, 29), date(2026, 2, 28)), Some(13));
        assert_eq!(age_at(date(2012, 2, 29), date(2026, 3, 1)), Some(14));
        assert_eq!(age_at(date(2030, 1, 1), date(2026, 1, 1)), None);
    }

    #[test]
    fn area_per_person_counts_the_applicant() {
        let mut facts = Facts::default();
        facts.dwelling.useful_area_m2 = Some(45.0);
        facts.dwelling.registered_persons = Some(2);
        let table = FactTable::build(&facts, date(2026, 1, 1)).unwrap();
        assert_eq!(
            table.get("dwelling.area_per_person"),
            Some(&FactValue::Number(15.0))
        );
    }

    #[test]
    fn other_owners_excludes_one() {
        let mut facts = Facts::default();
        facts.dwelling.owners = Some(3);
        facts.dwelling.applicant_relation = Some("co_owner".into());
        let table = FactTable::build(&facts, date(2026, 1, 1)).unwrap();
        assert_eq!(
            table.get("dwelling.other_owners"),
            Some(&FactValue::Number(2.0))
        );
        facts.dwelling.applicant_relation = None;
        let table = FactTable::build(&facts, date(2026, 1, 1)).unwrap();
        assert_eq!(
            table.get("dwelling.other_owners"),
            None,
            "unknown relation: unknown count"
        );
    }

    #[test]
    fn age_derives_from_birth_date_at_the_date() {
        let mut facts = Facts::default();
        facts.applicant.birth_date = Some(date(2011, 12, 1));
        let at = |d| {
            FactTable::build(&facts, d)
                .unwrap()
                .get("applicant.age")
                .cloned()
        };
        assert_eq!(at(date(2025, 11, 30)), Some(FactValue::Number(13.0)));
        assert_eq!(at(date(2025, 12, 1)), Some(FactValue::Number(14.0)));
    }

    #[test]
    fn bad_values_are_all_reported_with_their_field() {
        let mut facts = Facts::default();
        facts.applicant.status = Some("martian".into());
        facts.dwelling.kind = Some("tent".into());
        facts.dwelling.owners = Some(0);
        let errors = FactTable::build(&facts, date(2026, 1, 1)).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            vec!["applicant.status", "dwelling.kind", "dwelling.owners"]
        );
        assert!(errors[0].message.to_string().contains("citizen"));
    }

    fn problems(facts: &Facts) -> Vec<String> {
        FactTable::build(facts, date(2026, 1, 1))
            .err()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn contradictory_facts_are_refused_naming_both_fields() {
        let with = |edit: &dyn Fn(&mut Facts)| {
            let mut f = Facts::default();
            f.dwelling.kind = Some("private".into());
            edit(&mut f);
            problems(&f)
        };
        type Case<'a> = (&'a dyn Fn(&mut Facts), &'a str, &'a str);
        let cases: [Case; 11] = [
            (
                &|f| {
                    f.dwelling.applicant_relation = Some("co_owner".into());
                    f.dwelling.owners = Some(1);
                },
                "dwelling.applicant_relation",
                "dwelling.owners",
            ),
            (
                &|f| {
                    f.dwelling.applicant_relation = Some("sole_owner".into());
                    f.dwelling.owners = Some(3);
                },
                "dwelling.applicant_relation",
                "dwelling.owners",
            ),
            (
                &|f| f.dwelling.applicant_relation = Some("listed_in_tenancy".into()),
                "dwelling.applicant_relation",
                "dwelling.kind",
            ),
            (
                &|f| {
                    f.dwelling.kind = Some("organization".into());
                    f.dwelling.applicant_relation = Some("co_owner".into());
                },
                "dwelling.applicant_relation",
                "dwelling.kind",
            ),
            (
                &|f| {
                    f.applicant.acts_through = Some("self".into());
                    f.dwelling.representative_relation = Some("sole_owner".into());
                },
                "dwelling.representative_relation",
                "applicant.acts_through",
            ),
            (
                &|f| {
                    f.dwelling.applicant_relation = Some("sole_owner".into());
                    f.dwelling.representative_relation = Some("co_owner".into());
                },
                "dwelling.representative_relation",
                "dwelling.applicant_relation",
            ),
            (
                &|f| {
                    f.dwelling.representative_relation = Some("sole_owner".into());
                    f.dwelling.owner_capacity = Some("minor".into());
                },
                "dwelling.representative_relation",
                "dwelling.owner_capacity",
            ),
            (
                &|f| {
                    f.applicant.age = Some(30);
                    f.applicant.birth_date = Some(date(2000, 6, 1));
                },
                "applicant.age",
                "01.06.2000",
            ),
            (
                &|f| {
                    f.applicant.age = Some(30);
                    f.applicant.capacity = Some("full".into());
                    f.applicant.acts_through = Some("legal_representative".into());
                },
                "applicant.acts_through",
                "applicant.capacity",
            ),
            (
                &|f| {
                    f.applicant.age = Some(30);
                    f.applicant.capacity = Some("full".into());
                    f.dwelling.applicant_relation = Some("sole_owner".into());
                    f.dwelling.owner_capacity = Some("minor".into());
                },
                "dwelling.owner_capacity",
                "dwelling.applicant_relation",
            ),
            (
                &|f| {
                    f.applicant.age = Some(17);
                    f.applicant.capacity = Some("full".into());
                    f.dwelling.applicant_relation = Some("sole_owner".into());
                    f.dwelling.owner_capacity = Some("incapacitated".into());
                },
                "dwelling.owner_capacity",
                "dwelling.applicant_relation",
            ),
        ];
        for (edit, field, other) in cases {
            let found = with(edit);
            assert_eq!(found.len(), 1, "{field}: {found:?}");
            assert!(found[0].starts_with(&format!("{field}: ")), "{found:?}");
            assert!(found[0].contains(other), "{found:?}");
        }
        // The same facts without the contradiction are accepted: a 17-year-old represented by a
        // parent, a minor sole owner of 17.
        let represented_minor = |f: &mut Facts| {
            f.applicant.age = Some(17);
            f.applicant.capacity = Some("full".into());
            f.applicant.acts_through = Some("legal_representative".into());
        };
        let minor_sole_owner = |f: &mut Facts| {
            f.applicant.age = Some(17);
            f.dwelling.applicant_relation = Some("sole_owner".into());
            f.dwelling.owner_capacity = Some("minor".into());
        };
        assert_eq!(with(&represented_minor), Vec::<String>::new());
        assert_eq!(with(&minor_sole_owner), Vec::<String>::new());
        assert_eq!(
            with(&|f| {
                f.dwelling.applicant_relation = Some("co_owner".into());
                f.dwelling.owners = Some(2);
                f.applicant.age = Some(25);
                f.applicant.birth_date = Some(date(2000, 6, 1));
            }),
            Vec::<String>::new()
        );
    }

    #[test]
    fn numbers_and_dates_outside_their_ranges_are_refused() {
        let mut f = Facts::default();
        f.applicant.age = Some(4_294_967_295);
        f.dwelling.owners = Some(51);
        f.dwelling.useful_area_m2 = Some(1e308);
        f.dwelling.registered_persons = Some(u32::MAX);
        f.applicant.birth_date = None;
        let found = problems(&f);
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(
            found
                .iter()
                .all(|e| e.contains("outside the allowed range"))
        );
        let mut f = Facts::default();
        f.applicant.birth_date = Some(date(1850, 1, 1));
        let found = problems(&f);
        assert!(
            found[0].starts_with("applicant.birth_date: 01.01.1850"),
            "{found:?}"
        );
        let too_late = FactTable::build(&Facts::default(), date(2101, 1, 1)).unwrap_err();
        assert_eq!(too_late[0].field, "date");
    }

    #[test]
    fn derived_facts_are_asked_as_their_inputs() {
        let mut known = FactTable::default();
        assert_eq!(
            to_ask("dwelling.area_per_person", &known),
            vec!["dwelling.useful_area_m2", "dwelling.registered_persons"]
        );
        known.set("dwelling.useful_area_m2", FactValue::Number(40.0));
        assert_eq!(
            to_ask("dwelling.area_per_person", &known),
            vec!["dwelling.registered_persons"]
        );
        assert_eq!(to_ask("applicant.age", &known), vec!["applicant.age"]);
    }

    /// Every fact the checklist may ask for has a question in every language.
    #[test]
    fn every_fact_has_a_question() {
        let catalogs = crate::i18n::Catalogs::embedded();
        for lang in crate::i18n::Lang::ALL {
            for fact in FACTS
                .iter()
                .map(|f| f.id)
                .chain(["applicant.birth_date", "date"])
            {
                let key = format!("fact.question.{fact}");
                assert!(catalogs.catalog(lang).get(&key).is_some(), "{lang}: {key}");
            }
        }
    }

    #[test]
    fn every_input_field_has_a_registered_fact() {
        for id in [
            "service",
            "stay_days",
            "city",
            "applicant.age",
            "dwelling.owner_capacity",
        ] {
            assert!(fact_def(id).is_some(), "{id}");
        }
    }
}
