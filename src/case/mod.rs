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
    /// The person who came before in the same family visit (Ctrl+N): a child's case takes
    /// them as its legal representative.
    pub family: Option<FamilyLink>,
}

/// The previous applicant of a family visit.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct FamilyLink {
    pub iin: String,
    /// Surname, first name and patronymic.
    pub name: String,
    /// Their relation to the dwelling (`sole_owner`, `co_owner`, `none`), which is then the
    /// representative's.
    #[serde(default)]
    pub relation: String,
}

/// Below this age a child's case is applied for by a parent or legal representative (14 to
/// 16: the service standard; under 14 no registration of their own is needed).
const REPRESENTED_BELOW: u32 = 16;

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

    /// A new case for another person of the same family at the same address and dwelling
    /// (a mother, then her children): the address, the dwelling and its answers are copied,
    /// with the owners' and co-owners' consents already recorded (they consent to the
    /// dwelling, not to one person); the surname is proposed; and this applicant is kept as
    /// the family link, who becomes a child's legal representative ([`Case::follow_family`]).
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
        case.consents = self
            .consents
            .iter()
            .filter(|(key, _)| is_dwelling_consent(key.split('#').next().unwrap_or("")))
            .map(|(k, r)| (k.clone(), r.clone()))
            .collect();
        if self.has(FieldId::Surname) {
            case.set(FieldId::Surname, self.get(FieldId::Surname));
        }
        case.family = self.family_link();
        case
    }

    /// Who the next member of the family would be represented by: a child's own parent stays
    /// the parent of the next child (not the child just done); else this applicant.
    fn family_link(&self) -> Option<FamilyLink> {
        if self.get(FieldId::ActsThrough) == "legal_representative"
            && self.has(FieldId::RepresentativeName)
        {
            return Some(FamilyLink {
                iin: self.get(FieldId::RepresentativeIin).to_owned(),
                name: self.get(FieldId::RepresentativeName).to_owned(),
                relation: self.get(FieldId::RepresentativeRelation).to_owned(),
            });
        }
        let name = [FieldId::Surname, FieldId::GivenName, FieldId::Patronymic]
            .map(|f| self.get(f).trim())
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        (self.has(FieldId::Iin) || !name.is_empty()).then(|| FamilyLink {
            iin: self.get(FieldId::Iin).to_owned(),
            name,
            relation: self.get(FieldId::ApplicantRelation).to_owned(),
        })
    }

    /// Once the birth date shows a child a parent applies for, the family's previous
    /// applicant becomes the legal representative (where nobody was chosen yet): their IIN and
    /// name are filled in. Whether anything changed.
    pub fn follow_family(&mut self, today: NaiveDate) -> bool {
        let Some(link) = self.family.clone() else {
            return false;
        };
        let Some(born) = parse_date(self.get(FieldId::BirthDate)) else {
            return false;
        };
        let child = today
            .years_since(born)
            .is_some_and(|age| age < REPRESENTED_BELOW);
        if !child || self.has(FieldId::ActsThrough) {
            return false;
        }
        // Once: whatever the operator then chooses (or clears) stays as they left it.
        self.family = None;
        self.set(FieldId::ActsThrough, "legal_representative".to_owned());
        if !self.has(FieldId::RepresentativeIin) && !link.iin.is_empty() {
            self.set(FieldId::RepresentativeIin, link.iin);
        }
        if !self.has(FieldId::RepresentativeName) && !link.name.is_empty() {
            self.set(FieldId::RepresentativeName, link.name);
        }
        if !self.has(FieldId::RepresentativeRelation)
            && crate::rules::facts::REPRESENTATIVE_RELATIONS.contains(&link.relation.as_str())
        {
            self.set(FieldId::RepresentativeRelation, link.relation);
        }
        true
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
    fn a_draft_round_trips_and_a_family_member_keeps_the_address_and_proposes_the_surname() {
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
        assert_eq!(next.get(FieldId::Surname), "Серікова", "proposed");
        assert_eq!(next.get(FieldId::GivenName), "");
        assert_eq!(next.get(FieldId::ArrivedFromAbroad), "");
    }

    /// The mother applied; Ctrl+N for her son: the co-owners' consents to the dwelling come
    /// along, her own personal-data consent does not; once his birth date shows a child, she
    /// is his legal representative (IIN, name, her relation to the dwelling), and the link
    /// travels with the draft.
    #[test]
    fn a_child_of_the_family_gets_the_previous_applicant_as_representative() {
        let mut mother = Case::default();
        for (id, value) in FICTIONAL_TENANT {
            mother.set(*id, (*value).to_owned());
        }
        mother.set(FieldId::ApplicantRelation, "co_owner".to_owned());
        for key in ["co_owner_consent#1", "personal_data_consent#1"] {
            mother.consents.insert(key.into(), ConsentRecord::default());
        }
        let mut son = mother.for_family_member();
        assert_eq!(
            son.consents.keys().collect::<Vec<_>>(),
            ["co_owner_consent#1"]
        );
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert!(!son.follow_family(today), "no birth date yet");
        son.set(FieldId::BirthDate, "01.03.2016".to_owned());
        let back = super::draft::decode(&super::draft::encode(&son, None));
        assert_eq!(back.family, son.family);
        assert!(son.follow_family(today));
        assert_eq!(son.get(FieldId::ActsThrough), "legal_representative");
        assert_eq!(son.get(FieldId::RepresentativeIin), "850714412305");
        assert_eq!(
            son.get(FieldId::RepresentativeName),
            "Серікова Айгерім Бекқызы"
        );
        assert_eq!(son.get(FieldId::RepresentativeRelation), "co_owner");
        assert!(!son.follow_family(today), "once chosen, left as chosen");
        // Then the daughter: her mother represents her too, not her brother.
        let daughter = son.for_family_member();
        assert_eq!(daughter.family, mother.for_family_member().family);
        son.set(FieldId::ActsThrough, String::new());
        assert!(
            !son.follow_family(today),
            "cleared by the operator: not filled again"
        );
        // An adult of the family applies for themselves.
        let mut husband = mother.for_family_member();
        husband.set(FieldId::BirthDate, "02.02.1980".to_owned());
        assert!(!husband.follow_family(today));
        assert_eq!(husband.get(FieldId::ActsThrough), "");
    }
}
