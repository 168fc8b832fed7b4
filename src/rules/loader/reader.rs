//! Reading values out of a parsed TOML table with their spans, so that every problem is reported
//! at its place and reading goes on after it: all errors of a file come out at once.

use std::ops::Range;

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::source::{RuleError, Source, did_you_mean};
use crate::rules::model::Texts;

pub type Node<'i> = Spanned<DeValue<'i>>;

pub struct Reader<'s, 'e> {
    pub src: &'s Source<'s>,
    pub errors: &'e mut Vec<RuleError>,
}

impl Reader<'_, '_> {
    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.errors.push(self.src.error(span, message));
    }

    pub fn table<'v, 'i>(&mut self, node: &'v Node<'i>, what: &str) -> Option<&'v DeTable<'i>> {
        match node.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.error(
                    node.span(),
                    format!("{what} must be a table, found {}", other.type_str()),
                );
                None
            }
        }
    }

    pub fn array<'v, 'i>(&mut self, node: &'v Node<'i>, what: &str) -> Option<&'v [Node<'i>]> {
        match node.get_ref() {
            DeValue::Array(a) => Some(a.as_ref()),
            other => {
                self.error(
                    node.span(),
                    format!("{what} must be an array, found {}", other.type_str()),
                );
                None
            }
        }
    }

    /// Reports every key of `table` that is not in `allowed`, with a suggestion.
    pub fn check_keys(&mut self, table: &DeTable<'_>, allowed: &[&str], what: &str) {
        for (key, _) in table.iter() {
            if !allowed.contains(&key.get_ref().as_ref()) {
                let hint = did_you_mean(key.get_ref(), allowed.iter().copied());
                self.error(
                    key.span(),
                    format!("unknown key '{}' in {what}{hint}", key.get_ref()),
                );
            }
        }
    }

    pub fn string(&mut self, node: &Node<'_>, what: &str) -> Option<Spanned<String>> {
        match node.get_ref() {
            DeValue::String(s) => Some(Spanned::new(node.span(), s.to_string())),
            other => {
                self.error(
                    node.span(),
                    format!("{what} must be a string, found {}", other.type_str()),
                );
                None
            }
        }
    }

    pub fn bool(&mut self, node: &Node<'_>, what: &str) -> Option<bool> {
        match node.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.error(
                    node.span(),
                    format!("{what} must be true or false, found {}", other.type_str()),
                );
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
                format!(
                    "{what} must be a number, found {}",
                    node.get_ref().type_str()
                ),
            );
        }
        parsed
    }

    /// A date written as a TOML date (`2025-11-24`) or a string in that form.
    pub fn date(&mut self, node: &Node<'_>, what: &str) -> Option<Spanned<NaiveDate>> {
        let text = match node.get_ref() {
            DeValue::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
            DeValue::String(s) => s.to_string(),
            other => {
                self.error(
                    node.span(),
                    format!(
                        "{what} must be a date (YYYY-MM-DD), found {}",
                        other.type_str()
                    ),
                );
                return None;
            }
        };
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(date) => Some(Spanned::new(node.span(), date)),
            Err(_) => {
                self.error(
                    node.span(),
                    format!("{what}: '{text}' is not a real date (YYYY-MM-DD)"),
                );
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
            other => {
                self.error(
                    node.span(),
                    format!(
                        "{what} must be a string or a list of strings, found {}",
                        other.type_str()
                    ),
                );
                Vec::new()
            }
        }
    }

    /// Texts in the three languages: `{ ru = "...", kk = "...", en = "..." }`, all required.
    pub fn texts(&mut self, node: &Node<'_>, what: &str) -> Option<Texts> {
        let table = self.table(node, what)?;
        self.check_keys(table, &["ru", "kk", "en"], what);
        let mut get = |lang: &str| -> Option<String> {
            match get(table, lang) {
                Some(n) => self
                    .string(n, &format!("{what}.{lang}"))
                    .map(Spanned::into_inner)
                    .filter(|s| !s.trim().is_empty()),
                None => None,
            }
        };
        let (ru, kk, en) = (get("ru"), get("kk"), get("en"));
        match (ru, kk, en) {
            (Some(ru), Some(kk), Some(en)) => Some(Texts { ru, kk, en }),
            _ => {
                self.error(
                    node.span(),
                    format!("{what} needs non-empty texts in ru, kk and en"),
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
