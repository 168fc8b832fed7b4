//! The rules engine: which documents and consents an applicant needs, whether the case can
//! proceed, with which registration type and through which channel, and why.
//!
//! Rules are data (`assets/rules`, TOML) that a policy administrator edits without
//! recompiling. [`loader`] reads and validates them; [`engine::evaluate`] is pure.

pub mod condition;
pub mod embedded;
pub mod engine;
pub mod error;
pub mod facts;
pub mod facts_json;
pub mod loader;
pub mod model;
pub mod report;
pub mod scenarios;
pub mod static_check;

pub use engine::{EvalOptions, Evaluation, NotCovered, Verdict, evaluate};
pub use facts::{FactTable, Facts};
pub use loader::{Loaded, RuleError, RuleFile};
pub use model::RuleSet;

/// The rule set a running desk works with. Reloading a set with errors keeps the last good
/// one, so a mistake in a rule file never leaves the desk without rules.
#[derive(Debug)]
pub struct ActiveRules {
    current: std::sync::Arc<RuleSet>,
}

impl ActiveRules {
    pub fn new(set: RuleSet) -> ActiveRules {
        ActiveRules {
            current: std::sync::Arc::new(set),
        }
    }

    pub fn current(&self) -> &RuleSet {
        &self.current
    }

    /// The set, to share with the screen state.
    pub fn shared(&self) -> std::sync::Arc<RuleSet> {
        self.current.clone()
    }

    /// Takes the result of a reload (read and checked on a worker): a set that loaded is put
    /// in use; with errors the current one stays and the errors are handed back.
    pub fn take(
        &mut self,
        reloaded: Result<RuleSet, Vec<RuleError>>,
    ) -> Result<&RuleSet, Vec<RuleError>> {
        self.current = std::sync::Arc::new(reloaded?);
        Ok(&self.current)
    }

    /// "id version" for display.
    pub fn label(&self) -> String {
        format!("{} {}", self.current.id, self.current.version)
    }
}

#[cfg(test)]
mod active_tests {
    use super::*;

    #[test]
    fn a_bad_reload_keeps_the_last_good_set() {
        let files = loader::embedded();
        let mut active = ActiveRules::new(loader::parse(&files).unwrap().set);
        let before = active.current().sha256.clone();

        let mut broken = files.clone();
        broken[1].text.push_str("\n[[rule]]\nid = 3\n");
        let reloaded = loader::parse(&broken).map(|l| l.set);
        assert!(active.take(reloaded).is_err());
        assert_eq!(active.current().sha256, before, "the good set stays");

        let mut changed = files.clone();
        changed[0].text = changed[0]
            .text
            .replace("version = \"2026.12.3\"", "version = \"2026.12.4\"");
        let reloaded = loader::parse(&changed).map(|l| l.set);
        assert_eq!(active.take(reloaded).unwrap().version, "2026.12.4");
        assert_ne!(active.current().sha256, before);
    }
}
