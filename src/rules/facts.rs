//! What the operator learned at intake, as the rules see it.
//!
//! [`Facts`] is the input shape (JSON for `regdesk checklist`, TOML in scenario tests): every
//! field optional, because an omitted fact is *unknown*, not false. [`FactTable`] is the flat,
//! typed view the engine evaluates against, including the facts derived in Rust (age at the
//! date, area per registered person, other owners). [`FACTS`] is the registry of fact ids that
//! rule files may name; the loader checks every id and enum value against it.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::i18n::Message;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// Date of evaluation; a `--date` option wins over it; default today.
    pub date: Option<NaiveDate>,
    pub service: Option<String>,
    pub stay_days: Option<u32>,
    pub city: Option<String>,
    #[serde(default)]
    pub applicant: ApplicantFacts,
    #[serde(default)]
    pub dwelling: DwellingFacts,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
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

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DwellingFacts {
    pub kind: Option<String>,
    pub has_title_documents: Option<bool>,
    pub applicant_relation: Option<String>,
    pub owners: Option<u32>,
    pub owner_capacity: Option<String>,
    pub useful_area_m2: Option<f64>,
    pub registered_persons: Option<u32>,
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

pub const FACTS: &[FactDef] = &[
    fact("service", FactKind::Enum(SERVICES)),
    fact("stay_days", FactKind::Integer),
    fact("city", FactKind::Enum(CITIES)),
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
        let texts: [(&'static str, &Option<String>); 8] = [
            ("service", &facts.service),
            ("city", &facts.city),
            ("applicant.status", &a.status),
            ("applicant.capacity", &a.capacity),
            ("applicant.acts_through", &a.acts_through),
            ("dwelling.kind", &d.kind),
            ("dwelling.applicant_relation", &d.applicant_relation),
            ("dwelling.owner_capacity", &d.owner_capacity),
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
        let bools: [(&'static str, Option<bool>); 5] = [
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
                Some(n) if !n.is_finite() || n < 0.0 => errors.push(FactError {
                    field: id.to_owned(),
                    message: Message::new("rules.fact.bad_amount").arg("value", n),
                }),
                Some(n) => table.set(id, FactValue::Number(n)),
                None => {}
            }
        }
        if d.owners == Some(0) {
            errors.push(FactError {
                field: "dwelling.owners".into(),
                message: Message::new("rules.fact.no_owner"),
            });
        }
        match (a.age, a.birth_date) {
            (Some(_), Some(_)) => errors.push(FactError {
                field: "applicant.age".into(),
                message: Message::new("rules.fact.age_and_birth_date"),
            }),
            (Some(age), None) => table.set("applicant.age", FactValue::Number(f64::from(age))),
            (None, Some(born)) => match age_at(born, date) {
                Some(age) => table.set("applicant.age", FactValue::Number(f64::from(age))),
                None => errors.push(FactError {
                    field: "applicant.birth_date".into(),
                    message: Message::new("rules.fact.born_after")
                        .arg("born", born)
                        .arg("date", date),
                }),
            },
            (None, None) => {}
        }
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
