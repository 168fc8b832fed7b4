//! What an operator typed into the lookup box: an IIN, an application number, or a name.

use super::{ApplicationNumber, Iin, collation};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupQuery {
    /// Nothing to search for yet.
    Empty,
    /// A full, valid IIN: the person.
    Iin(String),
    /// Digits only, but not a valid IIN (too few, too many, or a wrong control digit).
    BadIin(String),
    /// An application number (`RD-2026-000123`, `rd2026123`, `РД-…`).
    Number(String),
    /// The start of a surname or full name, in lower case as typed
    /// (`core::collation::normalise_typed`): a Kazakh letter typed narrows the search to it.
    Name(String),
}

impl LookupQuery {
    /// What an audit row says of a lookup by IIN (masked) or by application number; a name
    /// prefix typed letter by letter is recorded when a record is opened from it.
    pub fn audit_details(&self) -> Option<String> {
        match self {
            LookupQuery::Iin(iin) => {
                Some(serde_json::json!({ "by": "iin", "iin": masked_iin(iin) }).to_string())
            }
            LookupQuery::Number(number) => {
                Some(serde_json::json!({ "by": "number", "number": number }).to_string())
            }
            _ => None,
        }
    }

    pub fn parse(text: &str) -> LookupQuery {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return LookupQuery::Empty;
        }
        let digits: String = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.chars().all(|c| c.is_ascii_digit()) {
            return match Iin::parse(&digits) {
                Ok(iin) => LookupQuery::Iin(iin.as_string()),
                Err(_) => LookupQuery::BadIin(digits),
            };
        }
        if let Some(number) = ApplicationNumber::parse(trimmed) {
            return LookupQuery::Number(number.to_string());
        }
        let name = collation::normalise_typed(text);
        if name.trim().is_empty() {
            LookupQuery::Empty
        } else {
            LookupQuery::Name(name)
        }
    }
}

/// An IIN as a list shows it before the record is opened: the last four digits only.
pub fn masked_iin(iin: &str) -> String {
    let digits: Vec<char> = iin.chars().collect();
    let shown = digits.len().saturating_sub(4);
    "*".repeat(8.min(shown)) + &digits[shown..].iter().collect::<String>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_iins_numbers_and_names_apart() {
        let born = chrono::NaiveDate::from_ymd_opt(1990, 3, 14).unwrap();
        let iin = Iin::generate(born, crate::core::Sex::Female, 4321)
            .unwrap()
            .as_string();
        assert_eq!(LookupQuery::parse(&iin), LookupQuery::Iin(iin.clone()));
        assert!(matches!(LookupQuery::parse("1234"), LookupQuery::BadIin(_)));
        assert_eq!(LookupQuery::parse("  "), LookupQuery::Empty);
        for typed in [
            "RD-2026-000123",
            "rd2026123",
            "РД-2026-123",
            "рд 2026 000123",
        ] {
            assert_eq!(
                LookupQuery::parse(typed),
                LookupQuery::Number("RD-2026-000123".into()),
                "{typed}"
            );
        }
        assert_eq!(LookupQuery::parse("Әбд"), LookupQuery::Name("әбд".into()));
        assert_eq!(
            LookupQuery::parse("ахметов  Нұр"),
            LookupQuery::Name("ахметов нұр".into())
        );
        // A name starting like the Cyrillic number prefix is still a name.
        assert_eq!(LookupQuery::parse("Рда"), LookupQuery::Name("рда".into()));
    }

    #[test]
    fn masking_keeps_the_last_four_digits() {
        assert_eq!(masked_iin("900314654321"), "********4321");
        assert_eq!(masked_iin("12"), "12");
        assert_eq!(masked_iin(""), "");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::core::collation::{sort_key, spelling_ranges};

    proptest::proptest! {
        /// Any text at all: the parser never panics, a name query is the folded text, and
        /// the spelling ranges over a set of names are sorted and each matches a name.
        #[test]
        fn any_text_parses_and_its_ranges_are_ordered(
            text in "\\PC{0,60}",
            names in proptest::collection::vec("[а-яәғқңөұүһіА-Я ёЁ\\-]{1,20}", 0..12),
        ) {
            let parsed = LookupQuery::parse(&text);
            if let LookupQuery::Name(name) = &parsed {
                proptest::prop_assert!(!name.trim().is_empty());
            }
            let keys: Vec<String> = names.iter().map(|n| sort_key(n)).collect();
            let ranges = spelling_ranges(&text, |p| keys.iter().any(|k| k.starts_with(p)));
            for pair in ranges.windows(2) {
                proptest::prop_assert!(pair[0].prefix < pair[1].prefix);
                proptest::prop_assert!(pair[0].end() <= pair[1].prefix);
            }
            for range in &ranges {
                proptest::prop_assert!(keys.iter().any(|k| k.starts_with(&range.prefix)));
            }
            let _ = masked_iin(&text);
        }

        /// Every name is found by every prefix of itself, typed in any case.
        #[test]
        fn a_name_is_found_by_its_own_prefixes(name in "[а-яәғқңөұүһі]{1,12}( [а-яәғқңөұүһі]{1,12})?", cut in 1usize..24) {
            let key = sort_key(&name);
            let typed: String = name.to_uppercase().chars().take(cut).collect();
            if typed.trim().is_empty() {
                return Ok(());
            }
            let ranges = spelling_ranges(&typed, |p| key.starts_with(p));
            proptest::prop_assert!(ranges.iter().any(|r| key.starts_with(&r.prefix)), "{} by {}", name, typed);
        }

        /// A password check takes any text without panicking.
        #[test]
        fn any_password_is_checked(text in "\\PC{0,40}") {
            let _ = crate::core::password::check_new(&text);
        }
    }
}
