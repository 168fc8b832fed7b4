//! A translatable message: a catalog key with arguments (and, for typos, a suggestion), kept
//! as data so that it is shown in whatever language the reader has when it is shown.

use std::fmt;

use super::{Lang, Tr};

/// Marks an argument value as a catalog key (a control character no real value carries:
/// values shown to people are escaped with [`super::printable`]).
const KEY_MARK: char = '\u{1}';

/// A message as a catalog key with arguments. `Display` gives English, for logs and tests.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Message {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
    /// A near-miss the author probably meant ("did you mean ...?").
    pub suggestion: Option<String>,
    /// Arguments that are messages themselves, translated with this one (a rule error quoted
    /// in a notice follows the language switch too).
    pub nested: Vec<(&'static str, Message)>,
}

impl Message {
    pub fn new(key: &'static str) -> Message {
        Message {
            key,
            args: Vec::new(),
            suggestion: None,
            nested: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Message {
        self.args.push((name, value.to_string()));
        self
    }

    /// An argument that is itself a catalog key, translated when the message is shown (so
    /// that "found: a list" is in the reader's language too).
    pub fn arg_key(mut self, name: &'static str, key: &'static str) -> Message {
        self.args.push((name, format!("{KEY_MARK}{key}")));
        self
    }

    /// An argument that is a list of catalog keys, shown translated and joined by commas.
    pub fn arg_keys(mut self, name: &'static str, keys: &[&'static str]) -> Message {
        let value: String = keys.iter().map(|k| format!("{KEY_MARK}{k}")).collect();
        self.args.push((name, value));
        self
    }

    /// Replaces the value of argument `name` by a catalog key (the desk names a field where
    /// the command line names the fact).
    pub fn with_arg_key(mut self, name: &'static str, key: &str) -> Message {
        for (n, v) in &mut self.args {
            if *n == name {
                *v = format!("{KEY_MARK}{key}");
            }
        }
        self
    }

    /// An argument that is a message, shown in the reader's language.
    pub fn arg_message(mut self, name: &'static str, message: Message) -> Message {
        self.nested.push((name, message));
        self
    }

    pub fn suggest(mut self, suggestion: Option<String>) -> Message {
        self.suggestion = suggestion;
        self
    }

    pub fn text(&self, tr: &Tr) -> String {
        let values: Vec<String> = self
            .args
            .iter()
            .map(|(_, v)| match v.strip_prefix(KEY_MARK) {
                Some(keys) => keys
                    .split(KEY_MARK)
                    .map(|key| tr.t(key))
                    .collect::<Vec<_>>()
                    .join(", "),
                None => v.clone(),
            })
            .collect();
        let nested: Vec<String> = self.nested.iter().map(|(_, m)| m.text(tr)).collect();
        let args: Vec<(&str, &str)> = self
            .args
            .iter()
            .zip(&values)
            .map(|((k, _), v)| (*k, v.as_str()))
            .chain(
                self.nested
                    .iter()
                    .zip(&nested)
                    .map(|((k, _), v)| (*k, v.as_str())),
            )
            .collect();
        let mut text = tr.f(self.key, &args);
        if let Some(s) = &self.suggestion {
            text.push_str(&tr.f("hint.did_you_mean", &[("name", s)]));
        }
        text
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(&Tr::new(Lang::En)))
    }
}
