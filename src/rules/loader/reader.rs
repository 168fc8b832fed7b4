//! Reading values out of a parsed TOML table with their spans, so that every problem is reported
//! at its place and reading goes on after it: all errors of a file come out at once.

use std::ops::Range;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::source::{Message, RuleError, Source, suggestion};
use crate::rules::model::Texts;

pub type Node<'i> = Spanned<DeValue<'i>>;

/// The largest number a condition may compare with: ages, days, counts and square metres
/// are all far below it, and it keeps the static check's arithmetic exact.
pub const MAX_NUMBER: f64 = 1e9;

pub struct Reader<'s, 'e> {
    pub src: &'s Source<'s>,
    pub errors: &'e mut Vec<RuleError>,
}

/// "`what` must be a `expected`, found `found`".
fn wrong_type(expected: &'static str, what: &str, node: &Node<'_>) -> Message {
    Message::new(expected)
        .arg("what", what)
        .arg("found", node.get_ref().type_str())
}

impl Reader<'_, '_> {
    pub fn error(&mut self, span: Range<usize>, message: Message) {
        self.errors.push(self.src.error(span, message));
    }

    pub fn table<'v, 'i>(&mut self, node: &'v Node<'i>, what: &str) -> Option<&'v DeTable<'i>> {
        match node.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => {
                self.error(node.span(), wrong_type("rules.error.not_table", what, node));
                None
            }
        }
    }

    pub fn array<'v, 'i>(&mut self, node: &'v Node<'i>, what: &str) -> Option<&'v [Node<'i>]> {
        match node.get_ref() {
            DeValue::Array(a) => Some(a.as_ref()),
            _ => {
                self.error(node.span(), wrong_type("rules.error.not_array", what, node));
                None
            }
        }
    }

    /// Reports every key of `table` that is not in `allowed`, with a suggestion.
    pub fn check_keys(&mut self, table: &DeTable<'_>, allowed: &[&str], what: &str) {
        for (key, _) in table.iter() {
            let name: &str = key.get_ref();
            if !allowed.contains(&name) {
                let message = Message::new("rules.error.unknown_key")
                    .arg("key", name)
                    .arg("what", what)
                    .suggest(suggestion(name, allowed.iter().copied()));
                self.error(key.span(), message);
            }
        }
    }

    pub fn string(&mut self, node: &Node<'_>, what: &str) -> Option<Spanned<String>> {
        match node.get_ref() {
            DeValue::String(s) => Some(Spanned::new(node.span(), s.to_string())),
            _ => {
                self.error(
                    node.span(),
                    wrong_type("rules.error.not_string", what, node),
                );
                None
            }
        }
    }

    /// An id: 1 to 64 characters of Latin letters, digits, `_`, `-` and `.`. Ids appear in
    /// messages, overrides and "did you mean", so an empty or endless one is refused.
    pub fn id(&mut self, node: &Node<'_>, what: &str) -> Option<Spanned<String>> {
        let id = self.string(node, what)?;
        let text = id.get_ref();
        let valid = (1..=64).contains(&text.len())
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !valid {
            let message = Message::new("rules.error.bad_id").arg("what", what).arg(
                "id",
                crate::i18n::printable(&text.chars().take(40).collect::<String>()),
            );
            self.error(id.span(), message);
        }
        Some(id)
    }

    pub fn bool(&mut self, node: &Node<'_>, what: &str) -> Option<bool> {
        match node.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.error(node.span(), wrong_type("rules.error.not_bool", what, node));
                None
            }
        }
    }

    /// A number a rule can compare with: finite and within ±1e9 (an integer too large for
    /// 64 bits, `nan` or `inf` is refused, naming the value).
    pub fn number(&mut self, node: &Node<'_>, what: &str) -> Option<f64> {
        let parsed = match node.get_ref() {
            DeValue::Integer(i) => Some(
                i64::from_str_radix(i.as_str(), i.radix())
                    .map(|n| n as f64)
                    .unwrap_or(f64::INFINITY),
            ),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            _ => None,
        };
        match parsed {
            None => {
                self.error(
                    node.span(),
                    wrong_type("rules.error.not_number", what, node),
                );
                None
            }
            Some(n) if !n.is_finite() || n.abs() > MAX_NUMBER => {
                let message = Message::new("rules.error.bad_number")
                    .arg("what", what)
                    .arg("value", self.source_text(node.span()))
                    .arg("max", MAX_NUMBER);
                self.error(node.span(), message);
                None
            }
            Some(n) => Some(n),
        }
    }

    /// The text of `span` as written, shortened and escaped for a message.
    pub fn source_text(&self, span: Range<usize>) -> String {
        let text = self.src.text.get(span).unwrap_or("");
        crate::i18n::printable(&text.chars().take(40).collect::<String>())
    }

    /// A date written as a TOML date (`2025-11-24`) or a string in that form.
    pub fn date(&mut self, node: &Node<'_>, what: &str) -> Option<Spanned<NaiveDate>> {
        let text = match node.get_ref() {
            DeValue::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
            DeValue::String(s) => s.to_string(),
            _ => {
                self.error(node.span(), wrong_type("rules.error.not_date", what, node));
                return None;
            }
        };
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(date) if (1900..=2100).contains(&chrono::Datelike::year(&date)) => {
                Some(Spanned::new(node.span(), date))
            }
            _ => {
                // The TOML parser may have said it already, in its own English: one message,
                // ours, naming the value as written.
                let (line, column) = self.src.position(node.span().start);
                self.errors
                    .retain(|e| !(e.file == self.src.name && e.line == line && e.column == column));
                let shown = if text.is_empty() {
                    self.source_text(node.span())
                } else {
                    crate::i18n::printable(&text.chars().take(40).collect::<String>())
                };
                let message = Message::new("rules.error.bad_date")
                    .arg("what", what)
                    .arg("text", shown);
                self.error(node.span(), message);
                None
            }
        }
    }

    /// A string or an array of strings.
    pub fn strings(&mut self, node: &Node<'_>, what: &str) -> Vec<Spanned<String>> {
        match node.get_ref() {
            DeValue::String(_) => self.string(node, what).into_iter().collect(),
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| self.string(item, what))
                .collect(),
            _ => {
                self.error(
                    node.span(),
                    wrong_type("rules.error.not_strings", what, node),
                );
                Vec::new()
            }
        }
    }

    /// Texts in the three languages: `{ ru = "...", kk = "...", en = "..." }`, all required.
    pub fn texts(&mut self, node: &Node<'_>, what: &str) -> Option<Texts> {
        let table = self.table(node, what)?;
        self.check_keys(table, &["ru", "kk", "en"], what);
        let mut get_text = |lang: &str| -> Option<String> {
            let node = get(table, lang)?;
            let text = self.string(node, &format!("{what}.{lang}"))?.into_inner();
            Some(text).filter(|s| !s.trim().is_empty())
        };
        let (ru, kk, en) = (get_text("ru"), get_text("kk"), get_text("en"));
        match (ru, kk, en) {
            (Some(ru), Some(kk), Some(en)) => Some(Texts { ru, kk, en }),
            _ => {
                self.error(
                    node.span(),
                    Message::new("rules.error.texts_missing").arg("what", what),
                );
                None
            }
        }
    }
}

/// The value under `key` in `table`.
pub fn get<'v, 'i>(table: &'v DeTable<'i>, key: &str) -> Option<&'v Node<'i>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref() == key)
        .map(|(_, v)| v)
}
