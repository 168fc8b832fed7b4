//! The rules engine: which documents and consents an applicant needs, whether the case can
//! proceed, with which registration type and through which channel, and why.
//!
//! Rules are data (`assets/rules`, TOML) that a policy administrator edits without
//! recompiling. [`loader`] reads and validates them; [`engine::evaluate`] is pure.

pub mod condition;
pub mod embedded;
pub mod engine;
pub mod facts;
pub mod loader;
pub mod model;
pub mod report;
pub mod scenarios;
pub mod static_check;

pub use engine::{EvalOptions, Evaluation, evaluate};
pub use facts::{FactTable, Facts};
pub use loader::{Loaded, RuleError, RuleFile};
pub use model::RuleSet;
