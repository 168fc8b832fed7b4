//! The error every step of loading a rule set reports: where (file, line, column) and what,
//! as a translatable message. Its own module, so that the loader and the static check both
//! use it without depending on each other.

use std::fmt;

use crate::i18n::{Lang, Message, Tr};

/// One problem in a rule set, located to the character.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleError {
    pub file: String,
    /// 1-based; 0 when the problem is about the file as a whole.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    pub message: Message,
}

impl RuleError {
    /// The error with its file shown inside `dir`, the folder the user gave (names in a rule
    /// set are relative to it), so that an editor can open FILE:LINE:COLUMN.
    pub fn in_folder(mut self, dir: Option<&std::path::Path>) -> RuleError {
        if let Some(dir) = dir
            && !std::path::Path::new(&self.file).is_absolute()
        {
            self.file = dir.join(&self.file).display().to_string();
        }
        self
    }

    /// The error as one message (`FILE:LINE:COLUMN: message`), translated when it is shown.
    pub fn to_message(&self) -> Message {
        let file = crate::i18n::printable(&self.file);
        let place = match (self.line, self.column) {
            (0, _) => file,
            (line, 0) => format!("{file}:{line}"),
            (line, column) => format!("{file}:{line}:{column}"),
        };
        Message::new("rules.error_at")
            .arg("place", place)
            .arg_message("message", self.message.clone())
    }

    /// `FILE:LINE:COLUMN: message` in the reader's language.
    pub fn text(&self, tr: &Tr) -> String {
        self.to_message().text(tr)
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(&Tr::new(Lang::En)))
    }
}
