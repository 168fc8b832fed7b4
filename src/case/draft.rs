//! A case saved as a draft: one typed, versioned JSON document, read back whole. Version 2
//! keeps the fields, the marks and the consent records each as themselves (version 1, the
//! release before, kept marks and consents as JSON text inside the JSON, and was searched for
//! an IIN by a substring): version 1 is still read, and `upgrade` rewrites it as version 2.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::consents::ConsentRecord;
use super::fields::FieldId;
use super::marks::Mark;
use super::{Case, fields::by_name};

/// The version this build writes.
pub const VERSION: u32 = 2;

/// A draft as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Stored {
    version: u32,
    /// Field name → the value typed.
    #[serde(default)]
    fields: BTreeMap<String, String>,
    #[serde(default)]
    marks: BTreeMap<String, Mark>,
    #[serde(default)]
    consents: BTreeMap<String, ConsentRecord>,
    /// The previous applicant of a family visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    family: Option<super::FamilyLink>,
    /// The rule set the case was last evaluated with (`id version sha256`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    evaluated_with: Option<String>,
}

/// The draft of `case`, with the rule set it was evaluated with.
pub fn encode(case: &Case, evaluated_with: Option<String>) -> String {
    let stored = Stored {
        version: VERSION,
        fields: case
            .values
            .iter()
            .map(|(id, v)| (super::fields::def(*id).name.to_owned(), v.clone()))
            .collect(),
        marks: case.marks.clone(),
        consents: case.consents.clone(),
        family: case.family.clone(),
        evaluated_with,
    };
    serde_json::to_string(&stored).unwrap_or_default()
}

/// The case in a draft of any version this build knows; what it cannot read (a damaged
/// draft, a field a newer regdesk added) is left out, never a reason to lose the rest.
pub fn decode(data: &str) -> Case {
    match serde_json::from_str::<Stored>(data) {
        Ok(stored) => {
            let mut case = Case::default();
            for (name, value) in stored.fields {
                if let Some(def) = by_name(&name) {
                    case.set(def.id, value);
                }
            }
            case.marks = stored.marks;
            case.consents = stored.consents;
            case.family = stored.family;
            case
        }
        // Version 1: a flat map, marks and consents as JSON text under prefixed names.
        Err(_) => Case::from_map(&serde_json::from_str(data).unwrap_or_default()),
    }
}

/// The IIN typed into a draft (for "this person has a draft" at intake), read as a field,
/// not found by searching the text.
pub fn iin(data: &str) -> String {
    decode(data).get(FieldId::Iin).to_owned()
}

/// A version 1 draft rewritten as version 2 (`None`: it is version 2 already, or no draft at
/// all), keeping its rule-set stamp.
pub fn upgrade(data: &str) -> Option<String> {
    if serde_json::from_str::<Stored>(data).is_ok() {
        return None;
    }
    let map: BTreeMap<String, String> = serde_json::from_str(data).ok()?;
    let stamp = map.get("evaluated_with").cloned();
    Some(encode(&Case::from_map(&map), stamp))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn a_case() -> Case {
        let mut case = Case::default();
        for (id, value) in super::super::FICTIONAL_TENANT {
            case.set(*id, (*value).to_owned());
        }
        case.marks.insert(
            "applicant_identity".into(),
            Mark::simple(super::super::marks::MarkState::Presented),
        );
        case
    }

    #[test]
    fn a_case_reads_back_whole() {
        let case = a_case();
        let data = encode(&case, Some("kz 1 abc".into()));
        assert_eq!(decode(&data), case);
        assert!(data.starts_with("{\"version\":2"), "{data}");
        // No JSON inside the JSON: a mark is an object, not a string.
        let value: serde_json::Value = serde_json::from_str(&data).unwrap();
        assert!(value["marks"]["applicant_identity"].is_object(), "{data}");
        assert_eq!(iin(&data), case.get(FieldId::Iin));
    }

    /// A draft written by the release before (version 1, the flat map) is read, and
    /// upgraded to version 2 with its rule-set stamp.
    #[test]
    fn drafts_of_the_release_before_are_read_and_upgraded() {
        let case = a_case();
        let mut map = case.to_map();
        map.insert("evaluated_with".into(), "kz 1 abc".into());
        let old = serde_json::to_string(&map).unwrap();
        assert_eq!(decode(&old), case);
        let new = upgrade(&old).expect("a version 1 draft");
        assert_eq!(decode(&new), case);
        assert!(new.contains("\"evaluated_with\":\"kz 1 abc\""), "{new}");
        assert_eq!(upgrade(&new), None, "version 2 stays as it is");
    }

    proptest! {
        /// Any text as a draft: a case (perhaps empty), never a panic.
        #[test]
        fn any_text_decodes_to_a_case(data in "\\PC{0,300}") {
            let _ = decode(&data);
            let _ = upgrade(&data);
        }
    }
}
