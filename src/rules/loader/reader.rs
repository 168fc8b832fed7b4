//! Reading values out of a parsed TOML table with their spans, so that every problem is reported
//! at its place and reading goes on after it: all errors of a file come out at once.

use std::ops::Range;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::source::{Message, RuleError, Source, suggestion};
use crate::rules::model::Texts;

pub type Node<'i> = Spanned<DeValue<'i>>;

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

    pub fn bool(&mut self, node: &Node<'_>, what: &str) -> Option<bool> {
        match node.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.error(node.span(), wrong_type("rules.error.not_bool", what, node));
                None
            }
        }
    }

    pub fn number(&mut self, node: &Node<'_>, what: &str) -> Option<f64> {
        let parsed = match node.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                .ok()
                .map(|n| n as f64),
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.error(
                node.span(),
                wrong_type("rules.error.not_number", what, node),
            );
        }
        parsed
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
            Ok(date) => Some(Spanned::new(node.span(), date)),
            Err(_) => {
                let message = Message::new("rules.error.bad_date")
                    .arg("what", what)
                    .arg("text", &text);
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
