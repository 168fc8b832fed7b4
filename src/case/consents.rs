//! A consent as the desk records it: whose, how given, by whom, when, revoked or not; and
//! which consents a case requires, from its evaluation. Part of the case.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::rules::Evaluation;

pub const STATES: &[&str] = &["pending", "given", "refused", "revoked"];
pub const FORMS: &[&str] = &["in_person", "written", "eds", "notarised"];
pub const DOCUMENTS: &[&str] = &["id_card", "passport", "other"];

/// One change of a consent's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub state: String,
    pub date: String,
    pub by: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// One consent of one person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsentRecord {
    /// Who gives it (a party of the rule set: owner, co_owners, applicant ...).
    #[serde(default)]
    pub party: String,
    pub state: String,
    pub surname: String,
    pub given_name: String,
    #[serde(default)]
    pub patronymic: String,
    pub iin: String,
    /// The identity document seen: `id_card`, `passport`, `other`.
    pub document: String,
    /// How it was given: `in_person`, `written`, `eds`, `notarised`.
    pub form: String,
    /// The EDS signature or notarised document reference.
    #[serde(default)]
    pub reference: String,
    /// `ДД.ММ.ГГГГ`.
    pub date: String,
    /// The operator of the session that recorded it.
    pub recorded_by: String,
    /// Why it was refused or revoked.
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub history: Vec<Change>,
}

/// A consent the rules require: which one, from whom, which of several.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Required {
    /// `owner_consent#1`: the record's key in the case.
    pub key: String,
    pub consent: String,
    pub party: String,
    pub number: u32,
    /// How many persons give this consent.
    pub of: u32,
}

/// The consent lines of the screen: those the evaluation requires, one per person (an unknown
/// count asks for one), then the records of the case no longer required (a refused owner's
/// consent makes the case refused, and its record must stay where it can be changed).
pub fn lines(evaluation: &Evaluation, records: &BTreeMap<String, ConsentRecord>) -> Vec<Required> {
    let mut all = required(evaluation);
    for (key, record) in records {
        if all.iter().all(|r| &r.key != key) {
            let (consent, number) = key.split_once('#').unwrap_or((key, "1"));
            all.push(Required {
                key: key.clone(),
                consent: consent.to_owned(),
                party: record.party.clone(),
                number: number.parse().unwrap_or(1),
                of: 1,
            });
        }
    }
    all
}

/// The consents the evaluation requires, one per person (an unknown count asks for one).
pub fn required(evaluation: &Evaluation) -> Vec<Required> {
    evaluation
        .consents
        .iter()
        .flat_map(|c| {
            let of = c.count.unwrap_or(1).max(1);
            (1..=of).map(move |n| Required {
                key: format!("{}#{n}", c.id),
                consent: c.id.clone(),
                party: c.from.clone(),
                number: n,
                of,
            })
        })
        .collect()
}

/// What the consent records say of a required consent: given by every person, refused by
/// one, or nothing yet (no record, or some still missing).
pub fn recorded_state(
    consent: &crate::rules::engine::ConsentResult,
    records: &BTreeMap<String, ConsentRecord>,
) -> Option<super::marks::MarkState> {
    let of = consent.count.unwrap_or(1).max(1);
    let states: Vec<&str> = (1..=of)
        .filter_map(|n| records.get(&format!("{}#{n}", consent.id)))
        .map(|r| r.state.as_str())
        .collect();
    if states.contains(&"refused") {
        Some(super::marks::MarkState::NotAvailable)
    } else if states.len() as u32 == of && states.iter().all(|s| *s == "given") {
        Some(super::marks::MarkState::Presented)
    } else {
        None
    }
}

/// Consents that, refused, stop the registration at this address.
pub fn is_dwelling_consent(consent: &str) -> bool {
    matches!(consent, "owner_consent" | "co_owner_consent")
}
