//! A rule file's text with its name, turning byte offsets into line:column; the error type
//! every loading step reports with; and [`Message`], the translatable text of an error.

use std::ops::Range;

pub use crate::i18n::Message;
pub use crate::rules::error::RuleError;

pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Source<'a> {
    pub fn new(name: &'a str, text: &'a str) -> Source<'a> {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source {
            name,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }

    pub fn error(&self, span: Range<usize>, message: Message) -> RuleError {
        let (line, column) = self.position(span.start);
        RuleError {
            file: self.name.to_owned(),
            line,
            column,
            message,
        }
    }

    pub fn file_error(&self, message: Message) -> RuleError {
        RuleError {
            file: self.name.to_owned(),
            line: 0,
            column: 0,
            message,
        }
    }
}

/// The closest candidate, if it is close enough to be a typo of `word`.
/// Only words and candidates up to this length are compared: the edit distance costs the
/// product of the lengths, and no real typo is that long.
const SUGGESTION_MAX_LEN: usize = 64;

pub fn suggestion<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<String> {
    if word.len() > SUGGESTION_MAX_LEN {
        return None;
    }
    candidates
        .into_iter()
        .filter(|c| c.len() <= SUGGESTION_MAX_LEN)
        // A distance can never be below the difference in length: skip those too far apart.
        .filter(|c| c.len().abs_diff(word.len()) <= 2.max(c.len() / 4))
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min()
        .map(|(_, c)| c.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, Tr};

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let src = Source::new("f.toml", "a = 1\nзаголовок = \"x\"\n");
        assert_eq!(src.position(0), (1, 1));
        assert_eq!(src.position(6), (2, 1));
        let offset = src.text.find('=').unwrap();
        assert_eq!(src.position(offset), (1, 3));
        let second = src.text.rfind('=').unwrap();
        assert_eq!(src.position(second), (2, 11));
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        assert_eq!(
            suggestion("applicant.agee", ["applicant.age", "city"]).as_deref(),
            Some("applicant.age")
        );
        assert_eq!(suggestion("zzz", ["applicant.age", "city"]), None);
    }

    #[test]
    fn an_error_quoted_in_another_message_follows_the_language() {
        let error = RuleError {
            file: "rules/10.toml".into(),
            line: 3,
            column: 7,
            message: Message::new("rules.error.unknown_fact").arg("name", "x"),
        };
        let notice = Message::new("rules.not_reloaded")
            .arg("count", 1)
            .arg_message("first", error.to_message())
            .arg("rules", "set 1");
        let en = notice.text(&Tr::new(Lang::En));
        let ru = notice.text(&Tr::new(Lang::Ru));
        assert!(en.contains("rules/10.toml:3:7: unknown fact 'x'"), "{en}");
        assert!(
            ru.contains("rules/10.toml:3:7: неизвестный факт 'x'"),
            "{ru}"
        );
    }

    #[test]
    fn messages_are_translated_with_their_suggestion() {
        let m = Message::new("rules.error.unknown_fact")
            .arg("name", "applicant.agee")
            .suggest(Some("applicant.age".into()));
        assert_eq!(
            m.to_string(),
            "unknown fact 'applicant.agee' (did you mean 'applicant.age'?)"
        );
        let ru = m.text(&Tr::new(Lang::Ru));
        assert!(
            ru.contains("applicant.agee")
                && ru.contains("applicant.age")
                && !ru.contains("unknown"),
            "{ru}"
        );
    }
}
