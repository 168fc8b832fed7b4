//! The case being worked on: what the operator typed, field by field, as plain text (choice
//! fields hold their code, yes/no fields `yes` or `no`). It is what a draft saves, what the
//! screens show, and what becomes the rule facts. Validation is here too: pure, per field,
//! with messages in the operator's words.

pub mod consents;
pub mod draft;
pub mod fields;
pub mod marks;
pub mod submission;

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::core::{Iin, PersonName};
use crate::i18n::Message;
use crate::rules::Facts;
use consents::{ConsentRecord, is_dwelling_consent};
use fields::{FIELDS, FieldDef, FieldId, FieldKind, by_name, def};
use marks::Mark;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Case {
    values: BTreeMap<FieldId, String>,
    /// What the operator noted on the checklist, by requirement or consent id.
    pub marks: BTreeMap<String, Mark>,
    /// The consents recorded, by `consent#n` (one per person).
    pub consents: BTreeMap<String, ConsentRecord>,
}

/// Prefix of a consent record's entry in a draft (`consent.owner_consent#1`).
const CONSENT_PREFIX: &str = "consent.";

/// Prefix of a mark's entry in a draft (`mark.applicant_identity`).
const MARK_PREFIX: &str = "mark.";

/// A fictional applicant for training, benchmarks and tests: a citizen renting a private flat
/// in Almaty from its one owner. The IIN is generated (valid control digit, 14.07.1985,
/// female) and belongs to no one.
pub const FICTIONAL_TENANT: &[(FieldId, &str)] = &[
    (FieldId::Iin, "850714412305"),
    (FieldId::Surname, "Серікова"),
    (FieldId::GivenName, "Айгерім"),
    (FieldId::Patronymic, "Бекқызы"),
    (FieldId::BirthDate, "14.07.1985"),
    (FieldId::Sex, "female"),
    (FieldId::Status, "citizen"),
    (FieldId::Capacity, "full"),
    (FieldId::ActsThrough, "self"),
    (FieldId::Service, "permanent"),
    (FieldId::City, "almaty"),
    (FieldId::District, "Алатауский"),
    (FieldId::Street, "мкр. Шанырак-2, ул. Жанкожа батыра"),
    (FieldId::House, "12"),
    (FieldId::DwellingKind, "private"),
    (FieldId::HasTitleDocuments, "yes"),
    (FieldId::ApplicantRelation, "none"),
    (FieldId::Owners, "1"),
    (FieldId::OwnerCapacity, "full"),
    (FieldId::ArrivedFromAbroad, "no"),
    (FieldId::RelativeOfOwner, "no"),
];

/// Pictographs have no place in a register (and take two cells); refused in every field.
fn is_emoji(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0xFE0F)
}

/// `ДД.ММ.ГГГГ` with a real day in 1900–2100.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let date = NaiveDate::parse_from_str(text, "%d.%m.%Y").ok()?;
    let year = chrono::Datelike::year(&date);
    (text.len() == 10 && (1900..=2100).contains(&year)).then_some(date)
}

impl Case {
    pub fn get(&self, id: FieldId) -> &str {
        self.values.get(&id).map_or("", String::as_str)
    }

    /// A case with these values (a demo or test case).
    pub fn with_values(values: &[(FieldId, &str)]) -> Case {
        let mut case = Case::default();
        for (id, value) in values {
            case.set(*id, *value);
        }
        case
    }

    pub fn set(&mut self, id: FieldId, value: impl Into<String>) {
        let value = value.into();
        if value.is_empty() {
            self.values.remove(&id);
        } else {
            self.values.insert(id, value);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.marks.is_empty() && self.consents.is_empty()
    }

    pub fn has(&self, id: FieldId) -> bool {
        self.values.contains_key(&id)
    }

    /// Someone other than the applicant applies.
    pub fn represented(&self) -> bool {
        matches!(
            self.get(FieldId::ActsThrough),
            "legal_representative" | "attorney"
        )
    }

    /// The problem with the value of `id`, if any; an empty optional field has none.
    pub fn problem(&self, id: FieldId, today: NaiveDate) -> Option<Message> {
        let value = self.get(id);
        let def = def(id);
        if value.is_empty() {
            return None;
        }
        if let Some(c) = value
            .chars()
            .find(|c| c.is_control() || crate::i18n::is_bidi_control(*c))
        {
            return Some(
                Message::new("intake.error.control").arg("code", format!("U+{:04X}", c as u32)),
            );
        }
        if value.chars().any(is_emoji) {
            return Some(Message::new("intake.error.emoji"));
        }
        match def.kind {
            FieldKind::Text { max } if value.chars().count() > max => {
                Some(Message::new("intake.error.too_long").arg("max", max))
            }
            FieldKind::Text { .. } => None,
            FieldKind::Name => PersonName::parse(value)
                .err()
                .map(|e| Message::new(e.message_key())),
            FieldKind::Iin => Iin::parse(value)
                .err()
                .map(|e| Message::new(e.message_key())),
            FieldKind::Date => match parse_date(value) {
                None => Some(Message::new("intake.error.date")),
                Some(d) if id == FieldId::BirthDate && d > today => {
                    Some(Message::new("intake.error.born_in_future"))
                }
                // Temporary registration runs 1 to 12 months from the day it is recorded.
                Some(d)
                    if id == FieldId::PeriodEnd
                        && (d <= today
                            || today
                                .checked_add_months(chrono::Months::new(12))
                                .is_some_and(|last| d > last)) =>
                {
                    Some(Message::new("intake.error.period_end"))
                }
                Some(_) => None,
            },
            FieldKind::Number { min, max } => match value.parse::<u32>() {
                Ok(n) if (min..=max).contains(&n) => None,
                _ => Some(
                    Message::new("intake.error.number")
                        .arg("min", min)
                        .arg("max", max),
                ),
            },
            FieldKind::Measure { min, max } => match value.replace(',', ".").parse::<f64>() {
                Ok(n) if n.is_finite() && (min..=max).contains(&n) => None,
                _ => Some(
                    Message::new("intake.error.number")
                        .arg("min", min)
                        .arg("max", max),
                ),
            },
            FieldKind::Digits { max } => {
                if !value.chars().all(|c| c.is_ascii_digit()) {
                    Some(Message::new("intake.error.digits"))
                } else if value.len() > max {
                    Some(Message::new("intake.error.too_long").arg("max", max))
                } else {
                    None
                }
            }
            FieldKind::Choice(codes) => {
                (!codes.contains(&value)).then(|| Message::new("intake.error.choice"))
            }
            FieldKind::YesNo => {
                (!matches!(value, "yes" | "no")).then(|| Message::new("intake.error.choice"))
            }
        }
    }

    /// A warning that does not block: the IIN's birth date or sex differs from what was
    /// typed (since 2013 the digits need not match the person).
    pub fn warning(&self, id: FieldId) -> Option<Message> {
        if id != FieldId::Iin {
            return None;
        }
        let iin = Iin::parse(self.get(FieldId::Iin)).ok()?;
        let born = parse_date(self.get(FieldId::BirthDate));
        if born.is_some_and(|b| b != iin.birth_date()) {
            return Some(Message::new("intake.warning.iin_birth_date"));
        }
        let sex = self.get(FieldId::Sex);
        if !sex.is_empty() && sex != iin.sex().code() {
            return Some(Message::new("intake.warning.iin_sex"));
        }
        None
    }

    /// The rule facts of the case: every field with a fact and a valid value. A field with a
    /// problem gives nothing (unknown), so bad input never passes for a confident answer.
    pub fn facts(&self, today: NaiveDate) -> Facts {
        let mut facts = Facts::default();
        for def in FIELDS.iter().filter(|f| f.fact.is_some()) {
            let value = self.get(def.id);
            if value.is_empty() || self.problem(def.id, today).is_some() {
                continue;
            }
            set_fact(&mut facts, def, value);
        }
        // A refused owner's or co-owner's consent is a fact the rules decide on.
        facts.consent_refused = Some(self.consents.iter().any(|(key, r)| {
            r.state == "refused" && is_dwelling_consent(key.split('#').next().unwrap_or(""))
        }));
        facts
    }

    /// The values by field name and the marks, for a draft.
    pub fn to_map(&self) -> BTreeMap<String, String> {
        let values = self
            .values
            .iter()
            .map(|(id, v)| (def(*id).name.to_owned(), v.clone()));
        let marks = self.marks.iter().filter_map(|(id, mark)| {
            serde_json::to_string(mark)
                .ok()
                .map(|m| (format!("{MARK_PREFIX}{id}"), m))
        });
        let consents = self.consents.iter().filter_map(|(key, record)| {
            serde_json::to_string(record)
                .ok()
                .map(|r| (format!("{CONSENT_PREFIX}{key}"), r))
        });
        values.chain(marks).chain(consents).collect()
    }

    /// A case from a draft's values; unknown names (a newer or older regdesk) are skipped.
    pub fn from_map(map: &BTreeMap<String, String>) -> Case {
        let mut case = Case::default();
        for (name, value) in map {
            if let Some(key) = name.strip_prefix(CONSENT_PREFIX) {
                if let Ok(record) = serde_json::from_str(value) {
                    case.consents.insert(key.to_owned(), record);
                }
            } else if let Some(id) = name.strip_prefix(MARK_PREFIX) {
                if let Ok(mark) = serde_json::from_str(value) {
                    case.marks.insert(id.to_owned(), mark);
                }
            } else if let Some(def) = by_name(name) {
                case.set(def.id, value.clone());
            }
        }
        case
    }

    /// A new case for another person at the same address and dwelling (a parent and a
    /// 15-year-old, a couple): the address and dwelling facts are copied, nothing personal.
    pub fn for_family_member(&self) -> Case {
        use fields::Section;
        let mut case = Case::default();
        for def in FIELDS
            .iter()
            .filter(|f| matches!(f.section, Section::Address | Section::Registration))
            .chain(FIELDS.iter().filter(|f| {
                f.section == Section::Dwelling
                    && !matches!(
                        f.id,
                        FieldId::ArrivedFromAbroad
                            | FieldId::HasPassport
                            | FieldId::HasDeregistration
                            | FieldId::RelativeOfOwner
                            | FieldId::ApplicantRelation
                    )
            }))
        {
            case.set(def.id, self.get(def.id));
        }
        case
    }
}

fn set_fact(facts: &mut Facts, def: &FieldDef, value: &str) {
    let text = || Some(value.to_owned());
    let yes = || Some(value == "yes");
    let whole = || value.parse::<u32>().ok();
    let a = &mut facts.applicant;
    let d = &mut facts.dwelling;
    match def.fact.unwrap_or("") {
        "service" => facts.service = text(),
        "stay_days" => facts.stay_days = whole(),
        "city" => facts.city = text(),
        "applicant.birth_date" => a.birth_date = parse_date(value),
        "applicant.status" => a.status = text(),
        "applicant.capacity" => a.capacity = text(),
        "applicant.acts_through" => a.acts_through = text(),
        "applicant.arrived_from_abroad" => a.arrived_from_abroad = yes(),
        "applicant.has_passport" => a.has_passport = yes(),
        "applicant.has_deregistration_document" => a.has_deregistration_document = yes(),
        "applicant.relative_of_owner" => a.relative_of_owner = yes(),
        "dwelling.kind" => d.kind = text(),
        "dwelling.has_title_documents" => d.has_title_documents = yes(),
        "dwelling.applicant_relation" => d.applicant_relation = text(),
        "dwelling.owners" => d.owners = whole(),
        "dwelling.owner_capacity" => d.owner_capacity = text(),
        "dwelling.useful_area_m2" => d.useful_area_m2 = value.replace(',', ".").parse().ok(),
        "dwelling.registered_persons" => d.registered_persons = whole(),
        "dwelling.representative_relation" => d.representative_relation = text(),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    fn problem(id: FieldId, value: &str) -> Option<&'static str> {
        let mut case = Case::default();
        case.set(id, value);
        case.problem(id, today()).map(|m| m.key)
    }

    #[test]
    fn each_kind_of_field_names_its_problem() {
        assert_eq!(problem(FieldId::Iin, "850714301234"), None);
        assert_eq!(
            problem(FieldId::Iin, "850714301235"),
            Some("iin.error.control")
        );
        assert_eq!(problem(FieldId::Iin, "85071430"), Some("iin.error.length"));
        assert_eq!(problem(FieldId::Surname, "Әбілқайыр"), None);
        assert_eq!(problem(FieldId::Surname, "O'Neil-Кім"), None);
        assert!(problem(FieldId::Surname, "Ива4нов").is_some());
        assert_eq!(problem(FieldId::BirthDate, "14.07.1985"), None);
        assert_eq!(
            problem(FieldId::BirthDate, "31.02.1985"),
            Some("intake.error.date")
        );
        assert_eq!(
            problem(FieldId::BirthDate, "01.01.2030"),
            Some("intake.error.born_in_future")
        );
        assert_eq!(problem(FieldId::Owners, "0"), Some("intake.error.number"));
        assert_eq!(problem(FieldId::Owners, "3"), None);
        assert_eq!(problem(FieldId::UsefulArea, "45,5"), None);
        assert_eq!(problem(FieldId::Rka, "12a"), Some("intake.error.digits"));
        assert_eq!(
            problem(FieldId::Street, &"у".repeat(81)),
            Some("intake.error.too_long")
        );
        assert_eq!(
            problem(FieldId::Street, "Абая\u{202E}"),
            Some("intake.error.control")
        );
        assert_eq!(
            problem(FieldId::Street, "Абая 😀"),
            Some("intake.error.emoji")
        );
        assert_eq!(
            problem(FieldId::Status, "martian"),
            Some("intake.error.choice")
        );
        assert_eq!(problem(FieldId::Patronymic, ""), None);
    }

    #[test]
    fn a_mismatch_with_the_iin_is_a_warning_not_a_problem() {
        let mut case = Case::default();
        case.set(FieldId::Iin, "850714301234");
        case.set(FieldId::BirthDate, "15.07.1985");
        assert_eq!(case.problem(FieldId::Iin, today()), None);
        assert_eq!(
            case.warning(FieldId::Iin).map(|m| m.key),
            Some("intake.warning.iin_birth_date")
        );
    }

    #[test]
    fn facts_come_from_valid_values_only() {
        let mut case = Case::default();
        case.set(FieldId::BirthDate, "14.07.1985");
        case.set(FieldId::Status, "citizen");
        case.set(FieldId::Owners, "two");
        case.set(FieldId::HasTitleDocuments, "no");
        let facts = case.facts(today());
        assert_eq!(
            facts.applicant.birth_date,
            NaiveDate::from_ymd_opt(1985, 7, 14)
        );
        assert_eq!(facts.applicant.status.as_deref(), Some("citizen"));
        assert_eq!(
            facts.dwelling.owners, None,
            "a bad value is unknown, not a guess"
        );
        assert_eq!(facts.dwelling.has_title_documents, Some(false));
    }

    #[test]
    fn a_draft_round_trips_and_a_family_member_keeps_only_the_address() {
        let mut case = Case::default();
        case.set(FieldId::Surname, "Серікова");
        case.set(FieldId::Street, "Абая");
        case.set(FieldId::DwellingKind, "private");
        case.set(FieldId::ArrivedFromAbroad, "no");
        case.marks.insert(
            "applicant_identity".into(),
            crate::case::marks::Mark::simple(crate::case::marks::MarkState::Presented),
        );
        let map = case.to_map();
        assert_eq!(Case::from_map(&map), case);
        let next = case.for_family_member();
        assert!(next.marks.is_empty(), "marks are the person's own");
        assert_eq!(next.get(FieldId::Street), "Абая");
        assert_eq!(next.get(FieldId::DwellingKind), "private");
        assert_eq!(next.get(FieldId::Surname), "");
        assert_eq!(next.get(FieldId::ArrivedFromAbroad), "");
    }
}
