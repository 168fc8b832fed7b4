//! A mark on the checklist: a document presented (which one, its number, date of issue, a
//! note) or not available. Part of the case, kept with its draft and submitted with it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkState {
    Presented,
    NotAvailable,
}

/// A mark on a document (or a consent, for which only the state is used).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub state: MarkState,
    /// The document type presented, one of the requirement's alternatives.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub document: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub number: String,
    /// `ДД.ММ.ГГГГ`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub issued: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl Mark {
    pub fn simple(state: MarkState) -> Mark {
        Mark {
            state,
            document: String::new(),
            number: String::new(),
            issued: String::new(),
            note: String::new(),
        }
    }
}
