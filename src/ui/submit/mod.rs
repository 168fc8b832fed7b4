//! Submitting the case: the gate (what is still missing, each with where to go), the
//! application as plain data for the store, and the screen after it was submitted.

use super::checklist::marks::MarkState;
use super::consents::required as required_consents;
use super::intake::fields::{FieldId, Section, def};
use super::intake::{Case, IntakeState};
use chrono::NaiveDate;

use crate::i18n::Message;
use crate::rules::{Evaluation, Verdict};

mod keys;
mod view;

pub use crate::case::submission::submission;
pub use view::{draw_closed, draw_gate, draw_submitted};

/// Something that keeps the case from being submitted, and where it is fixed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// The decision is neither "proceed" nor "not required" (or the case cannot be
    /// evaluated).
    Decision,
    /// An intake field is wrong (its message) or required and empty (none).
    Field(FieldId, Option<Message>),
    /// Answers are still missing: the result is provisional.
    Questions,
    /// A required document is not marked presented.
    Document(String),
    /// A required consent is not given.
    Consent(String),
}

/// What is missing before the case can be submitted (nothing: it can): the decision, every
/// intake field that is wrong or required and empty (the rules need not care about a
/// surname or a checksum, the application does), open questions, documents, consents.
pub fn gaps(
    case: &Case,
    evaluation: Option<&Evaluation>,
    intake: &IntakeState,
    today: NaiveDate,
) -> Vec<Gap> {
    // A case closed as not required is about a person and an address (the family's note
    // names both): the registration type and the dwelling are never asked for it.
    let not_required = evaluation.is_some_and(|e| e.decision == Verdict::NotRequired);
    let fields = intake.visible(case).into_iter().filter_map(move |id| {
        let problem = case
            .problem(id, today)
            .or_else(|| intake.contradictions.get(&id).cloned());
        let needed =
            !not_required || !matches!(def(id).section, Section::Registration | Section::Dwelling);
        let empty = def(id).required && needed && !case.has(id);
        (problem.is_some() || empty).then_some(Gap::Field(id, problem))
    });
    let Some(e) =
        evaluation.filter(|e| matches!(e.decision, Verdict::Proceed | Verdict::NotRequired))
    else {
        return std::iter::once(Gap::Decision).chain(fields).collect();
    };
    let mut gaps: Vec<Gap> = fields.collect();
    if e.provisional {
        gaps.push(Gap::Questions);
    }
    if e.decision == Verdict::NotRequired {
        // Closed without an application: nothing is presented, nobody consents.
        return gaps;
    }
    for d in e.documents.iter().filter(|d| !d.optional) {
        if case.marks.get(&d.id).map(|m| m.state) != Some(MarkState::Presented) {
            gaps.push(Gap::Document(d.id.clone()));
        }
    }
    for line in required_consents(e) {
        let given = case
            .consents
            .get(&line.key)
            .is_some_and(|r| r.state == "given");
        if !given {
            gaps.push(Gap::Consent(line.key));
        }
    }
    gaps
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateState {
    pub gaps: Vec<Gap>,
    pub selected: usize,
}

/// The message when a submission failed in the store.
pub fn failed() -> Message {
    Message::new("submit.failed")
}

#[cfg(test)]
mod tests;
