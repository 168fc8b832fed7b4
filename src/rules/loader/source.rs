//! A rule file's text with its name, turning byte offsets into line:column, and the error type
//! every loading step reports with.

use std::fmt;
use std::ops::Range;

/// One problem in a rule set, located to the character.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleError {
    pub file: String,
    /// 1-based; 0 when the problem is about the file as a whole.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

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

    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> RuleError {
        let (line, column) = self.position(span.start);
        RuleError {
            file: self.name.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }

    pub fn file_error(&self, message: impl Into<String>) -> RuleError {
        RuleError {
            file: self.name.to_owned(),
            line: 0,
            column: 0,
            message: message.into(),
        }
    }
}

/// " (did you mean 'x'?)" for the closest candidate, if one is close enough to be a typo.
pub fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min()
        .map(|(_, c)| format!(" (did you mean '{c}'?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

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
            did_you_mean("applicant.agee", ["applicant.age", "city"]),
            " (did you mean 'applicant.age'?)"
        );
        assert_eq!(did_you_mean("zzz", ["applicant.age", "city"]), "");
    }
}
