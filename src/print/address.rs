//! An address in words, as a person reads it on paper and on screen: the city by its name,
//! each part with its usual label ("Алматинский р-н, ул. Абая, д. 15, кв. 4" / "Абай көш., 15
//! үй, 4 пәтер"), a part the operator already typed with its label kept as typed.

use crate::i18n::Tr;
use crate::records::SubmittedAddress;

/// Words that show a part already carries its label (in any of the three languages).
const DISTRICT_WORDS: &[&str] = &["р-н", "район", "аудан", "district"];
const STREET_WORDS: &[&str] = &[
    "ул.",
    "улица",
    "пр.",
    "проспект",
    "мкр",
    "микрорайон",
    "көш",
    "даңғыл",
    "шағын",
    "street",
    "st.",
    "avenue",
    "ave.",
];
const HOUSE_WORDS: &[&str] = &["д.", "дом", "үй", "house"];
const BUILDING_WORDS: &[&str] = &["корп", "ғимарат", "bldg", "building"];
const APARTMENT_WORDS: &[&str] = &["кв", "пәтер", "apt", "flat"];

/// `value` with its label (`address.street` = "ул. {value}"), unless it carries one.
fn labelled(value: &str, key: &str, words: &[&str], tr: &Tr) -> String {
    let lower = value.to_lowercase();
    if words.iter().any(|w| lower.contains(w)) {
        value.to_owned()
    } else {
        tr.f(key, &[("value", value)])
    }
}

/// The region part: a city of republican significance is stored by its code (`almaty`).
fn region(code: &str, tr: &Tr) -> String {
    let key = format!("choice.{code}");
    let name = tr.t(&key);
    if name == key {
        code.to_owned()
    } else {
        tr.f("address.city", &[("value", &name)])
    }
}

/// A part of the address, when it holds anything.
fn part(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// The address in words, in the language of `tr`.
pub fn in_words(a: &SubmittedAddress, tr: &Tr) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(r) = part(&a.region) {
        parts.push(region(r, tr));
    }
    if let Some(d) = part(&a.district) {
        parts.push(labelled(d, "address.district", DISTRICT_WORDS, tr));
    }
    if let Some(s) = part(&a.settlement) {
        parts.push(s.to_owned());
    }
    if let Some(s) = part(&a.street) {
        parts.push(labelled(s, "address.street", STREET_WORDS, tr));
    }
    if let Some(h) = part(&a.house) {
        parts.push(labelled(h, "address.house", HOUSE_WORDS, tr));
    }
    if let Some(b) = part(&a.building) {
        parts.push(labelled(b, "address.building", BUILDING_WORDS, tr));
    }
    if let Some(apt) = part(&a.apartment) {
        parts.push(labelled(apt, "address.apartment", APARTMENT_WORDS, tr));
    }
    if let Some(rka) = part(&a.rka) {
        parts.push(format!("{} {rka}", tr.t("field.rka")));
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn flat() -> SubmittedAddress {
        SubmittedAddress {
            region: Some("almaty".into()),
            district: Some("Алмалинский".into()),
            street: Some("Толе би".into()),
            house: Some("15".into()),
            apartment: Some("4".into()),
            ..Default::default()
        }
    }

    #[test]
    fn the_city_by_its_name_and_each_part_with_its_label() {
        assert_eq!(
            in_words(&flat(), &Tr::new(Lang::Ru)),
            "г. Алматы, Алмалинский р-н, ул. Толе би, д. 15, кв. 4"
        );
        assert_eq!(
            in_words(&flat(), &Tr::new(Lang::Kk)),
            "Алматы қ., Алмалинский ауданы, Толе би көш., 15 үй, 4 пәтер"
        );
        assert_eq!(
            in_words(&flat(), &Tr::new(Lang::En)),
            "Almaty, Алмалинский district, Толе би St., house 15, apt 4"
        );
    }

    #[test]
    fn a_label_typed_by_the_operator_is_not_said_twice() {
        let a = SubmittedAddress {
            region: Some("Туркестанская область".into()),
            street: Some("мкр Самал-2".into()),
            house: Some("д. 7".into()),
            ..Default::default()
        };
        assert_eq!(
            in_words(&a, &Tr::new(Lang::Ru)),
            "Туркестанская область, мкр Самал-2, д. 7"
        );
    }
}
