//! CLDR plural rules for integers in the three interface languages. Russian distinguishes
//! one / few / many ("1 документ, 2 документа, 5 документов"); Kazakh and English one / other.

use std::str::FromStr;

use super::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PluralCategory {
    One,
    Few,
    Many,
    Other,
}

impl FromStr for PluralCategory {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "one" => Ok(PluralCategory::One),
            "few" => Ok(PluralCategory::Few),
            "many" => Ok(PluralCategory::Many),
            "other" => Ok(PluralCategory::Other),
            _ => Err(()),
        }
    }
}

/// The categories a catalog entry must give for `lang`.
pub fn categories(lang: Lang) -> &'static [PluralCategory] {
    match lang {
        Lang::Ru => &[
            PluralCategory::One,
            PluralCategory::Few,
            PluralCategory::Many,
            PluralCategory::Other,
        ],
        Lang::Kk | Lang::En => &[PluralCategory::One, PluralCategory::Other],
    }
}

pub fn category(lang: Lang, n: u64) -> PluralCategory {
    match lang {
        Lang::Ru => {
            let (last, last_two) = (n % 10, n % 100);
            if last == 1 && last_two != 11 {
                PluralCategory::One
            } else if (2..=4).contains(&last) && !(12..=14).contains(&last_two) {
                PluralCategory::Few
            } else {
                PluralCategory::Many
            }
        }
        Lang::Kk | Lang::En => {
            if n == 1 {
                PluralCategory::One
            } else {
                PluralCategory::Other
            }
        }
    }
}
