//! Individual identification number (IIN, ИИН / ЖСН) and business identification number (BIN).
//!
//! Both are 12 digits closed by a control digit computed in two passes. For an IIN the first
//! seven digits also encode the birth date, the century and the sex. Since 2013 those digits are
//! not guaranteed to match the person, so a mismatch with entered data is only a warning
//! ([`Iin::check_against`]); an unknown century digit or an impossible date is an error.

use chrono::NaiveDate;
use std::fmt;
use std::str::FromStr;

use super::Sex;

const LEN: usize = 12;
const FIRST_PASS_WEIGHTS: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_PASS_WEIGHTS: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// Why a string is not a valid IIN or BIN. Each variant maps to one translated message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IinError {
    /// Fewer or more than 12 digits (after removing spaces).
    WrongLength(usize),
    /// A character other than a digit or a space.
    NotDigits,
    /// The prefix gives a control value of 10 in both passes: such a number is never issued.
    NeverIssued,
    /// The 12th digit is not the control digit of the first 11.
    ControlDigit { expected: u8, found: u8 },
    /// The 7th digit is not 1–6, so century and sex are unknown.
    CenturyDigit(u8),
    /// Digits 1–6 are not a real calendar date in the encoded century.
    BirthDate,
}

impl IinError {
    /// Key of the translated message for this error (see `assets/i18n`).
    pub fn message_key(&self) -> &'static str {
        match self {
            IinError::WrongLength(_) => "iin.error.length",
            IinError::NotDigits => "iin.error.digits",
            IinError::NeverIssued => "iin.error.never_issued",
            IinError::ControlDigit { .. } => "iin.error.control",
            IinError::CenturyDigit(_) => "iin.error.century",
            IinError::BirthDate => "iin.error.birth_date",
        }
    }
}

impl fmt::Display for IinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IinError::WrongLength(n) => write!(f, "an IIN has 12 digits, this has {n}"),
            IinError::NotDigits => f.write_str("an IIN has only digits"),
            IinError::NeverIssued => {
                f.write_str("no IIN is ever issued with these first 11 digits")
            }
            IinError::ControlDigit { expected, found } => {
                write!(
                    f,
                    "control digit is {found}, expected {expected}: check for a typo"
                )
            }
            IinError::CenturyDigit(d) => {
                write!(f, "7th digit {d} is not a century/sex digit (1-6)")
            }
            IinError::BirthDate => f.write_str("digits 1-6 are not a real birth date"),
        }
    }
}

impl std::error::Error for IinError {}

/// Parses 12 digits (spaces allowed, as people read them out in groups) into an array.
fn parse_digits(text: &str) -> Result<[u8; LEN], IinError> {
    let mut digits = [0u8; LEN];
    let mut count = 0usize;
    for ch in text.chars().filter(|c| !c.is_whitespace()) {
        let d = ch.to_digit(10).ok_or(IinError::NotDigits)?;
        if count < LEN {
            digits[count] = d as u8;
        }
        count += 1;
    }
    if count != LEN {
        return Err(IinError::WrongLength(count));
    }
    Ok(digits)
}

/// The control digit of the first 11 digits, or `None` when the prefix is never issued.
pub fn control_digit(prefix: &[u8; 11]) -> Option<u8> {
    let pass = |weights: &[u32; 11]| -> u32 {
        prefix
            .iter()
            .zip(weights)
            .map(|(&d, &w)| u32::from(d) * w)
            .sum::<u32>()
            % 11
    };
    match pass(&FIRST_PASS_WEIGHTS) {
        10 => match pass(&SECOND_PASS_WEIGHTS) {
            10 => None,
            d => Some(d as u8),
        },
        d => Some(d as u8),
    }
}

fn check_control(digits: &[u8; LEN]) -> Result<(), IinError> {
    let prefix: [u8; 11] = digits[..11].try_into().expect("11 of 12 digits");
    let expected = control_digit(&prefix).ok_or(IinError::NeverIssued)?;
    if expected != digits[11] {
        return Err(IinError::ControlDigit {
            expected,
            found: digits[11],
        });
    }
    Ok(())
}

fn digits_to_string(digits: &[u8; LEN]) -> String {
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

/// A checked IIN of a natural person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Iin {
    digits: [u8; LEN],
}

impl Iin {
    /// Parses and checks an IIN: length, control digit, century digit and birth date.
    pub fn parse(text: &str) -> Result<Self, IinError> {
        let digits = parse_digits(text)?;
        check_control(&digits)?;
        let iin = Iin { digits };
        iin.century_base()?;
        iin.birth_date_checked()?;
        Ok(iin)
    }

    /// Builds a valid IIN from a birth date, sex and a serial (0..=9999), if the resulting
    /// prefix is ever issued. Used to generate fictional people for tests and demo data.
    pub fn generate(birth_date: NaiveDate, sex: Sex, serial: u16) -> Option<Self> {
        use chrono::Datelike;
        let century_digit = match (birth_date.year() / 100, sex) {
            (18, Sex::Male) => 1,
            (18, Sex::Female) => 2,
            (19, Sex::Male) => 3,
            (19, Sex::Female) => 4,
            (20, Sex::Male) => 5,
            (20, Sex::Female) => 6,
            _ => return None,
        };
        if serial > 9999 {
            return None;
        }
        let yy = (birth_date.year() % 100) as u32;
        let text = format!(
            "{yy:02}{:02}{:02}{century_digit}{serial:04}",
            birth_date.month(),
            birth_date.day()
        );
        let mut prefix = [0u8; 11];
        for (slot, b) in prefix.iter_mut().zip(text.bytes()) {
            *slot = b - b'0';
        }
        let control = control_digit(&prefix)?;
        let mut digits = [0u8; LEN];
        digits[..11].copy_from_slice(&prefix);
        digits[11] = control;
        Some(Iin { digits })
    }

    fn century_base(&self) -> Result<i32, IinError> {
        match self.digits[6] {
            1 | 2 => Ok(1800),
            3 | 4 => Ok(1900),
            5 | 6 => Ok(2000),
            d => Err(IinError::CenturyDigit(d)),
        }
    }

    fn birth_date_checked(&self) -> Result<NaiveDate, IinError> {
        let two = |i: usize| u32::from(self.digits[i]) * 10 + u32::from(self.digits[i + 1]);
        let year = self.century_base()? + two(0) as i32;
        NaiveDate::from_ymd_opt(year, two(2), two(4)).ok_or(IinError::BirthDate)
    }

    /// Birth date encoded in digits 1–7.
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date_checked().expect("checked at parse")
    }

    /// Sex encoded in digit 7 (odd: male).
    pub fn sex(&self) -> Sex {
        if self.digits[6] % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The 12 digits as text.
    pub fn as_string(&self) -> String {
        digits_to_string(&self.digits)
    }

    /// Compares the encoded data with what the operator entered. Mismatches are warnings only.
    pub fn check_against(
        &self,
        birth_date: Option<NaiveDate>,
        sex: Option<Sex>,
    ) -> Vec<IinWarning> {
        let mut warnings = Vec::new();
        if birth_date.is_some_and(|d| d != self.birth_date()) {
            warnings.push(IinWarning::BirthDateMismatch);
        }
        if sex.is_some_and(|s| s != self.sex()) {
            warnings.push(IinWarning::SexMismatch);
        }
        warnings
    }

    /// A form that is safe to write to a log: the last four digits only.
    pub fn masked(&self) -> String {
        format!("********{}", &self.as_string()[8..])
    }
}

/// Data encoded in the IIN that differs from what was entered: shown, never blocking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IinWarning {
    BirthDateMismatch,
    SexMismatch,
}

impl IinWarning {
    pub fn message_key(&self) -> &'static str {
        match self {
            IinWarning::BirthDateMismatch => "iin.warning.birth_date",
            IinWarning::SexMismatch => "iin.warning.sex",
        }
    }
}

impl fmt::Display for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_string())
    }
}

impl FromStr for Iin {
    type Err = IinError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Iin::parse(s)
    }
}

/// A checked BIN of an organisation (same control digit; its other digits are not decoded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Bin {
    digits: [u8; LEN],
}

impl Bin {
    pub fn parse(text: &str) -> Result<Self, IinError> {
        let digits = parse_digits(text)?;
        check_control(&digits)?;
        Ok(Bin { digits })
    }
}

impl fmt::Display for Bin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&digits_to_string(&self.digits))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_iins_from_the_domain_brief_parse() {
        for text in [
            "850714301234",
            "900228404562",
            "500101400072",
            "771111302100",
        ] {
            assert!(Iin::parse(text).is_ok(), "{text} should be valid");
        }
    }

    #[test]
    fn second_pass_is_used_when_first_gives_ten() {
        let prefix = [5, 0, 0, 1, 0, 1, 4, 0, 0, 0, 7];
        assert_eq!(control_digit(&prefix), Some(2));
    }

    #[test]
    fn invalid_iins_from_the_domain_brief_are_rejected_for_the_right_reason() {
        assert_eq!(
            Iin::parse("850714301235"),
            Err(IinError::ControlDigit {
                expected: 4,
                found: 5
            })
        );
        assert_eq!(Iin::parse("880512300600"), Err(IinError::NeverIssued));
        assert_eq!(Iin::parse("851314301232"), Err(IinError::BirthDate));
    }

    #[test]
    fn shape_errors_are_specific() {
        assert_eq!(Iin::parse("85071430123"), Err(IinError::WrongLength(11)));
        assert_eq!(Iin::parse("8507143012345"), Err(IinError::WrongLength(13)));
        assert_eq!(Iin::parse("85071430123a"), Err(IinError::NotDigits));
        assert_eq!(
            Iin::parse("８５０７１４３０１２３４"),
            Err(IinError::NotDigits)
        );
        assert_eq!(Iin::parse(""), Err(IinError::WrongLength(0)));
    }

    #[test]
    fn spaces_between_groups_are_accepted() {
        assert_eq!(
            Iin::parse("850714 301234").unwrap().as_string(),
            "850714301234"
        );
    }

    #[test]
    fn century_digit_outside_one_to_six_is_rejected() {
        // 850714 7 0123 with a correct control digit for that prefix.
        let prefix = [8, 5, 0, 7, 1, 4, 7, 0, 1, 2, 3];
        let c = control_digit(&prefix).unwrap();
        let text = format!("85071470123{c}");
        assert_eq!(Iin::parse(&text), Err(IinError::CenturyDigit(7)));
    }

    #[test]
    fn birth_date_and_sex_are_derived() {
        let iin = Iin::parse("850714301234").unwrap();
        assert_eq!(
            iin.birth_date(),
            NaiveDate::from_ymd_opt(1985, 7, 14).unwrap()
        );
        assert_eq!(iin.sex(), Sex::Male);
        let iin = Iin::parse("900228404562").unwrap();
        assert_eq!(
            iin.birth_date(),
            NaiveDate::from_ymd_opt(1990, 2, 28).unwrap()
        );
        assert_eq!(iin.sex(), Sex::Female);
    }

    #[test]
    fn mismatch_with_entered_data_is_a_warning() {
        let iin = Iin::parse("850714301234").unwrap();
        let other = NaiveDate::from_ymd_opt(1985, 7, 15);
        assert_eq!(
            iin.check_against(other, Some(Sex::Female)),
            vec![IinWarning::BirthDateMismatch, IinWarning::SexMismatch]
        );
        assert!(
            iin.check_against(Some(iin.birth_date()), Some(Sex::Male))
                .is_empty()
        );
    }

    #[test]
    fn masked_form_hides_birth_date() {
        assert_eq!(Iin::parse("850714301234").unwrap().masked(), "********1234");
    }

    #[test]
    fn bin_uses_the_same_control_digit() {
        assert!(Bin::parse("850714301234").is_ok());
        assert!(matches!(
            Bin::parse("850714301235"),
            Err(IinError::ControlDigit { .. })
        ));
    }

    fn any_birth_date() -> impl Strategy<Value = NaiveDate> {
        (1800i32..2100, 1u32..=12, 1u32..=31)
            .prop_filter_map("real date", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d))
    }

    proptest! {
        #[test]
        fn every_generated_iin_parses_with_its_data(
            date in any_birth_date(),
            male in any::<bool>(),
            serial in 0u16..10000,
        ) {
            let sex = if male { Sex::Male } else { Sex::Female };
            if let Some(iin) = Iin::generate(date, sex, serial) {
                let parsed = Iin::parse(&iin.as_string()).unwrap();
                prop_assert_eq!(parsed.birth_date(), date);
                prop_assert_eq!(parsed.sex(), sex);
            }
        }

        #[test]
        fn changing_the_control_digit_invalidates(
            date in any_birth_date(),
            serial in 0u16..10000,
            bump in 1u8..10,
        ) {
            if let Some(iin) = Iin::generate(date, Sex::Female, serial) {
                let mut text = iin.as_string().into_bytes();
                text[11] = b'0' + (text[11] - b'0' + bump) % 10;
                let changed = String::from_utf8(text).unwrap();
                prop_assert!(Iin::parse(&changed).is_err());
            }
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,20}") {
            let _ = Iin::parse(&text);
        }
    }
}
