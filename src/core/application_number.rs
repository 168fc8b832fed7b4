//! Application numbers such as `RD-2026-000123`: a prefix, the year and a six-digit counter,
//! short enough to read out over a desk. Parsing forgives what people do when they type one back:
//! lower case, missing dashes or spaces, missing leading zeros, and Cyrillic `РД` typed with a
//! Russian layout active.

use std::fmt;
use std::str::FromStr;

const PREFIX: &str = "RD";
/// Largest counter that fits the six-digit field.
pub const MAX_SEQUENCE: u32 = 999_999;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApplicationNumber {
    year: u16,
    sequence: u32,
}

impl ApplicationNumber {
    /// `None` when the year has no four digits or the counter is outside 1..=999999.
    pub fn new(year: i32, sequence: u32) -> Option<Self> {
        let year = u16::try_from(year)
            .ok()
            .filter(|y| (1000..=9999).contains(y))?;
        (1..=MAX_SEQUENCE)
            .contains(&sequence)
            .then_some(ApplicationNumber { year, sequence })
    }

    pub fn year(&self) -> i32 {
        i32::from(self.year)
    }

    pub fn sequence(&self) -> u32 {
        self.sequence
    }

    /// Parses what an operator typed; `None` if it cannot be an application number.
    pub fn parse(text: &str) -> Option<Self> {
        let upper: String = text
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '/' | '.'))
            .map(|c| match c.to_uppercase().next().unwrap_or(c) {
                'Р' => 'R',       // Cyrillic Er looks like Latin R
                'Д' | 'В' => 'D', // Д is on the L key, В on the D key of a ЙЦУКЕН layout
                'К' => 'R',       // К is on the R key
                other => other,
            })
            .collect();
        let rest = upper.strip_prefix(PREFIX)?;
        if rest.len() < 5 || !rest.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (year, sequence) = rest.split_at(4);
        Self::new(year.parse().ok()?, sequence.parse().ok()?)
    }
}

impl fmt::Display for ApplicationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}-{}-{:06}", self.year, self.sequence)
    }
}

impl FromStr for ApplicationNumber {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_padding() {
        assert_eq!(
            ApplicationNumber::new(2026, 123).unwrap().to_string(),
            "RD-2026-000123"
        );
    }

    #[test]
    fn parses_what_people_type_back() {
        let expected = ApplicationNumber::new(2026, 123);
        for text in [
            "RD-2026-000123",
            "rd2026000123",
            "RD 2026 123",
            "РД-2026-000123",
            "кв2026-123",
        ] {
            assert_eq!(ApplicationNumber::parse(text), expected, "{text}");
        }
    }

    #[test]
    fn rejects_non_numbers() {
        for text in [
            "",
            "RD-",
            "RD-2026",
            "XX-2026-000123",
            "RD-2026-0000000",
            "RD-20a6-1",
            "RD-2026-000000",
        ] {
            assert_eq!(ApplicationNumber::parse(text), None, "{text}");
        }
    }

    #[test]
    fn round_trips() {
        let n = ApplicationNumber::new(2027, 999_999).unwrap();
        assert_eq!(ApplicationNumber::parse(&n.to_string()), Some(n));
    }
}
