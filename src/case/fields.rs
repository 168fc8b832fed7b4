//! The intake form as data: every field with the fact it fills, its kind, its label and when
//! it is shown. The screen, validation, the conversion to rule facts and the drafts are all
//! driven from [`FIELDS`], so a field is added in one place.

/// A field of the intake form. Focus is kept as a field id, never a row index, so a field that
/// disappears moves focus to the next one shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldId {
    Iin,
    Surname,
    GivenName,
    Patronymic,
    BirthDate,
    Sex,
    Status,
    Capacity,
    ActsThrough,
    RepresentativeIin,
    RepresentativeName,
    AuthorityDocument,
    RepresentativeRelation,
    Service,
    PeriodMonths,
    PeriodEnd,
    StayDays,
    City,
    Region,
    District,
    Settlement,
    Street,
    House,
    Building,
    Apartment,
    Rka,
    DwellingKind,
    HasTitleDocuments,
    ApplicantRelation,
    Owners,
    OwnerCapacity,
    UsefulArea,
    RegisteredPersons,
    ArrivedFromAbroad,
    HasPassport,
    HasDeregistration,
    RelativeOfOwner,
    /// The language of the papers the person gets (may differ from the operator's).
    DocumentLanguage,
}

/// How a field is typed in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FieldKind {
    /// Free text up to `max` characters: addresses, document names.
    Text { max: usize },
    /// A person's name part (Cyrillic, Kazakh, Latin letters, hyphen, apostrophe).
    Name,
    /// 12 digits with a control digit.
    Iin,
    /// `ДД.ММ.ГГГГ`, typed as digits; the dots are added.
    Date,
    /// A whole number in a range.
    Number { min: u32, max: u32 },
    /// A measure with decimals (square metres).
    Measure { min: f64, max: f64 },
    /// Digits only, as the register gives them (RKA).
    Digits { max: usize },
    /// One of the values (codes); labels are `choice.<code>` in the catalogs.
    Choice(&'static [&'static str]),
    /// Yes or no.
    YesNo,
}

/// When a field is on the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Always,
    /// While someone other than the applicant applies.
    WhenRepresented,
    /// For temporary registration.
    WhenTemporary,
    /// While a rule that is still pending needs its fact (or once it has an answer).
    WhenAsked,
}

/// The sections of the form, in conversation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Applicant,
    Representative,
    Registration,
    Address,
    Dwelling,
}

impl Section {
    pub fn key(self) -> &'static str {
        match self {
            Section::Applicant => "intake.section.applicant",
            Section::Representative => "intake.section.representative",
            Section::Registration => "intake.section.registration",
            Section::Address => "intake.section.address",
            Section::Dwelling => "intake.section.dwelling",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct FieldDef {
    pub id: FieldId,
    /// Stable name in drafts and in the catalogs (`field.<name>`).
    pub name: &'static str,
    pub section: Section,
    pub kind: FieldKind,
    /// The rule fact it fills, if any.
    pub fact: Option<&'static str>,
    pub shown: Shown,
    /// Must be answered before the case moves on.
    pub required: bool,
}

const fn field(
    id: FieldId,
    name: &'static str,
    section: Section,
    kind: FieldKind,
    fact: Option<&'static str>,
    shown: Shown,
    required: bool,
) -> FieldDef {
    FieldDef {
        id,
        name,
        section,
        kind,
        fact,
        shown,
        required,
    }
}

use crate::rules::facts::{
    ACTS_THROUGH, CAPACITIES, CITIES, DWELLING_KINDS, OWNER_CAPACITIES, RELATIONS,
    REPRESENTATIVE_RELATIONS, SERVICES, STATUSES,
};
use FieldId as F;
use FieldKind as K;
use Section as S;
use Shown as W;

const ADDRESS: FieldKind = K::Text { max: 80 };

pub const SEXES: &[&str] = &["male", "female"];
pub const LANGUAGES: &[&str] = &["ru", "kk", "en"];

pub const FIELDS: &[FieldDef] = &[
    field(F::Iin, "iin", S::Applicant, K::Iin, None, W::Always, true),
    field(
        F::Surname,
        "surname",
        S::Applicant,
        K::Name,
        None,
        W::Always,
        true,
    ),
    field(
        F::GivenName,
        "given_name",
        S::Applicant,
        K::Name,
        None,
        W::Always,
        true,
    ),
    field(
        F::Patronymic,
        "patronymic",
        S::Applicant,
        K::Name,
        None,
        W::Always,
        false,
    ),
    field(
        F::BirthDate,
        "birth_date",
        S::Applicant,
        K::Date,
        Some("applicant.birth_date"),
        W::Always,
        true,
    ),
    field(
        F::Sex,
        "sex",
        S::Applicant,
        K::Choice(SEXES),
        None,
        W::Always,
        true,
    ),
    field(
        F::DocumentLanguage,
        "document_language",
        S::Applicant,
        K::Choice(LANGUAGES),
        None,
        W::Always,
        false,
    ),
    field(
        F::Status,
        "status",
        S::Applicant,
        K::Choice(STATUSES),
        Some("applicant.status"),
        W::Always,
        true,
    ),
    field(
        F::Capacity,
        "capacity",
        S::Applicant,
        K::Choice(CAPACITIES),
        Some("applicant.capacity"),
        W::Always,
        true,
    ),
    field(
        F::ActsThrough,
        "acts_through",
        S::Representative,
        K::Choice(ACTS_THROUGH),
        Some("applicant.acts_through"),
        W::Always,
        true,
    ),
    field(
        F::RepresentativeIin,
        "representative_iin",
        S::Representative,
        K::Iin,
        None,
        W::WhenRepresented,
        true,
    ),
    field(
        F::RepresentativeName,
        "representative_name",
        S::Representative,
        K::Text { max: 120 },
        None,
        W::WhenRepresented,
        true,
    ),
    field(
        F::AuthorityDocument,
        "authority_document",
        S::Representative,
        K::Text { max: 120 },
        None,
        W::WhenRepresented,
        true,
    ),
    field(
        F::RepresentativeRelation,
        "representative_relation",
        S::Representative,
        K::Choice(REPRESENTATIVE_RELATIONS),
        Some("dwelling.representative_relation"),
        W::WhenAsked,
        false,
    ),
    field(
        F::Service,
        "service",
        S::Registration,
        K::Choice(SERVICES),
        Some("service"),
        W::Always,
        true,
    ),
    field(
        F::PeriodMonths,
        "period_months",
        S::Registration,
        K::Number { min: 1, max: 12 },
        None,
        W::WhenTemporary,
        false,
    ),
    field(
        F::PeriodEnd,
        "period_end",
        S::Registration,
        K::Date,
        None,
        W::WhenTemporary,
        false,
    ),
    field(
        F::StayDays,
        "stay_days",
        S::Registration,
        K::Number {
            min: 1,
            max: 36_600,
        },
        Some("stay_days"),
        W::WhenAsked,
        false,
    ),
    field(
        F::City,
        "city",
        S::Address,
        K::Choice(CITIES),
        Some("city"),
        W::Always,
        true,
    ),
    field(
        F::Region,
        "region",
        S::Address,
        ADDRESS,
        None,
        W::Always,
        false,
    ),
    field(
        F::District,
        "district",
        S::Address,
        ADDRESS,
        None,
        W::Always,
        false,
    ),
    field(
        F::Settlement,
        "settlement",
        S::Address,
        ADDRESS,
        None,
        W::Always,
        false,
    ),
    field(
        F::Street,
        "street",
        S::Address,
        ADDRESS,
        None,
        W::Always,
        true,
    ),
    field(
        F::House,
        "house",
        S::Address,
        K::Text { max: 20 },
        None,
        W::Always,
        true,
    ),
    field(
        F::Building,
        "building",
        S::Address,
        K::Text { max: 20 },
        None,
        W::Always,
        false,
    ),
    field(
        F::Apartment,
        "apartment",
        S::Address,
        K::Text { max: 20 },
        None,
        W::Always,
        false,
    ),
    field(
        F::Rka,
        "rka",
        S::Address,
        K::Digits { max: 20 },
        None,
        W::Always,
        false,
    ),
    field(
        F::DwellingKind,
        "dwelling_kind",
        S::Dwelling,
        K::Choice(DWELLING_KINDS),
        Some("dwelling.kind"),
        W::WhenAsked,
        false,
    ),
    field(
        F::HasTitleDocuments,
        "has_title_documents",
        S::Dwelling,
        K::YesNo,
        Some("dwelling.has_title_documents"),
        W::WhenAsked,
        false,
    ),
    field(
        F::ApplicantRelation,
        "applicant_relation",
        S::Dwelling,
        K::Choice(RELATIONS),
        Some("dwelling.applicant_relation"),
        W::WhenAsked,
        false,
    ),
    field(
        F::Owners,
        "owners",
        S::Dwelling,
        K::Number { min: 1, max: 50 },
        Some("dwelling.owners"),
        W::WhenAsked,
        false,
    ),
    field(
        F::OwnerCapacity,
        "owner_capacity",
        S::Dwelling,
        K::Choice(OWNER_CAPACITIES),
        Some("dwelling.owner_capacity"),
        W::WhenAsked,
        false,
    ),
    field(
        F::UsefulArea,
        "useful_area_m2",
        S::Dwelling,
        K::Measure {
            min: 1.0,
            max: 100_000.0,
        },
        Some("dwelling.useful_area_m2"),
        W::WhenAsked,
        false,
    ),
    field(
        F::RegisteredPersons,
        "registered_persons",
        S::Dwelling,
        K::Number { min: 0, max: 1000 },
        Some("dwelling.registered_persons"),
        W::WhenAsked,
        false,
    ),
    field(
        F::ArrivedFromAbroad,
        "arrived_from_abroad",
        S::Dwelling,
        K::YesNo,
        Some("applicant.arrived_from_abroad"),
        W::WhenAsked,
        false,
    ),
    field(
        F::HasPassport,
        "has_passport",
        S::Dwelling,
        K::YesNo,
        Some("applicant.has_passport"),
        W::WhenAsked,
        false,
    ),
    field(
        F::HasDeregistration,
        "has_deregistration_document",
        S::Dwelling,
        K::YesNo,
        Some("applicant.has_deregistration_document"),
        W::WhenAsked,
        false,
    ),
    field(
        F::RelativeOfOwner,
        "relative_of_owner",
        S::Dwelling,
        K::YesNo,
        Some("applicant.relative_of_owner"),
        W::WhenAsked,
        false,
    ),
];

pub fn def(id: FieldId) -> &'static FieldDef {
    FIELDS
        .iter()
        .find(|f| f.id == id)
        .expect("every field id is in FIELDS")
}

pub fn by_name(name: &str) -> Option<&'static FieldDef> {
    FIELDS.iter().find(|f| f.name == name)
}

/// The field that answers a fact the rules ask for (the age is asked as the birth date).
pub fn for_fact(fact: &str) -> Option<&'static FieldDef> {
    let fact = if fact == "applicant.age" {
        "applicant.birth_date"
    } else {
        fact
    };
    FIELDS.iter().find(|f| f.fact == Some(fact))
}

/// The translation key of a choice value's label.
pub fn choice_key(code: &str) -> String {
    format!("choice.{code}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::facts::FACTS;

    /// Every fact a person can answer has a field; derived facts have none, and a refused
    /// consent is recorded on the consent screen.
    #[test]
    fn every_enterable_fact_has_a_field() {
        for fact in FACTS
            .iter()
            .filter(|f| f.derived_from.is_empty() && f.id != "consent_refused")
        {
            assert!(for_fact(fact.id).is_some(), "no field for {}", fact.id);
        }
        assert!(
            for_fact("applicant.age").is_some(),
            "age is asked as the birth date"
        );
    }

    #[test]
    fn names_are_unique_and_every_label_exists() {
        let catalogs = crate::i18n::Catalogs::embedded();
        for (i, a) in FIELDS.iter().enumerate() {
            assert!(
                FIELDS[i + 1..]
                    .iter()
                    .all(|b| b.name != a.name && b.id != a.id)
            );
            for lang in crate::i18n::Lang::ALL {
                let key = format!("field.{}", a.name);
                assert!(catalogs.catalog(lang).get(&key).is_some(), "{lang}: {key}");
                if let FieldKind::Choice(codes) = a.kind {
                    for code in codes {
                        let key = choice_key(code);
                        assert!(catalogs.catalog(lang).get(&key).is_some(), "{lang}: {key}");
                    }
                }
            }
        }
    }
}
