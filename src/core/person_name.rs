//! Personal names as typed at the desk: Cyrillic (Russian and Kazakh letters), Latin for
//! foreigners, hyphens and apostrophes. Also the folded search key that makes lookups
//! case-insensitive and forgiving of the substitutions operators make on a Russian keyboard.

use std::fmt;

/// Longest name part accepted; longer input is almost certainly a paste accident.
pub const MAX_NAME_CHARS: usize = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameError {
    Empty,
    TooLong(usize),
    /// A character that cannot be in a name (digit, punctuation, emoji ...).
    BadCharacter(char),
    /// A hyphen, apostrophe or space at the start or the end, or two in a row.
    BadSeparator,
}

impl NameError {
    pub fn message_key(&self) -> &'static str {
        match self {
            NameError::Empty => "name.error.empty",
            NameError::TooLong(_) => "name.error.too_long",
            NameError::BadCharacter(_) => "name.error.bad_character",
            NameError::BadSeparator => "name.error.separator",
        }
    }
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => f.write_str("name is empty"),
            NameError::TooLong(n) => write!(f, "name has {n} letters, at most {MAX_NAME_CHARS}"),
            NameError::BadCharacter(c) => write!(f, "'{c}' cannot be part of a name"),
            NameError::BadSeparator => f.write_str("misplaced hyphen, apostrophe or space"),
        }
    }
}

impl std::error::Error for NameError {}

fn is_separator(c: char) -> bool {
    matches!(c, '-' | '\'' | '’' | ' ')
}

/// One part of a person's name (surname, given name or patronymic), trimmed and with inner
/// runs of spaces collapsed. Case is kept as typed: documents decide the spelling, not us.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(text: &str) -> Result<Self, NameError> {
        let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            return Err(NameError::Empty);
        }
        let count = collapsed.chars().count();
        if count > MAX_NAME_CHARS {
            return Err(NameError::TooLong(count));
        }
        if let Some(bad) = collapsed
            .chars()
            .find(|&c| !c.is_alphabetic() && !is_separator(c))
        {
            return Err(NameError::BadCharacter(bad));
        }
        let chars: Vec<char> = collapsed.chars().collect();
        let edge = is_separator(chars[0]) || is_separator(chars[chars.len() - 1]);
        let doubled = chars
            .windows(2)
            .any(|w| is_separator(w[0]) && is_separator(w[1]));
        if edge || doubled {
            return Err(NameError::BadSeparator);
        }
        Ok(PersonName(collapsed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The folded form used for search (see [`search_key`]).
    pub fn search_key(&self) -> String {
        search_key(&self.0)
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Folds text for case-insensitive search: lower case, and the letters operators commonly type
/// in place of others mapped to one form (ё→е, й→и, and Kazakh letters to the Russian letter on
/// the same key, because a Russian layout lacks them). Apply to both stored names and queries.
pub fn search_key(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ё' => 'е',
            'й' => 'и',
            'ә' => 'а',
            'ғ' => 'г',
            'қ' => 'к',
            'ң' => 'н',
            'ө' => 'о',
            'ұ' | 'ү' => 'у',
            'һ' => 'х',
            'і' => 'и',
            '’' => '\'',
            other => other,
        })
        .collect()
}

/// The bidi marks and overrides that reorder or hide the text after them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_and_kazakh_names_are_accepted() {
        for name in [
            "Иванов",
            "Әбілқайыр",
            "Нұрсұлтан",
            "Өмірзақ-Ұлы",
            "Д'Артаньян",
            "Smith",
        ] {
            assert!(PersonName::parse(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn spaces_are_trimmed_and_collapsed() {
        assert_eq!(
            PersonName::parse("  Анна   Мария ").unwrap().as_str(),
            "Анна Мария"
        );
    }

    #[test]
    fn bad_names_say_why() {
        assert_eq!(PersonName::parse("   "), Err(NameError::Empty));
        assert_eq!(
            PersonName::parse("Иван0в"),
            Err(NameError::BadCharacter('0'))
        );
        assert_eq!(PersonName::parse("-Иван"), Err(NameError::BadSeparator));
        assert_eq!(
            PersonName::parse("Иван--Петров"),
            Err(NameError::BadSeparator)
        );
        assert_eq!(
            PersonName::parse(&"а".repeat(61)),
            Err(NameError::TooLong(61))
        );
        assert_eq!(
            PersonName::parse("Иван😀"),
            Err(NameError::BadCharacter('😀'))
        );
    }

    #[test]
    fn search_key_folds_case_yo_and_kazakh_letters() {
        assert_eq!(search_key("ЁЛКИН"), search_key("елкин"));
        assert_eq!(search_key("Сергей"), search_key("Сергеи"));
        assert_eq!(search_key("ҚАЙРАТ"), search_key("каират"));
        assert_eq!(search_key("Әсел Өмірбек"), "асел омирбек");
    }
}
