//! The checklist screen: the live result of the rules for the case, as lines the operator
//! moves through. Each document or consent can be marked presented or not available, any line
//! opens to show why (rules, acts, the facts that made them fire), and a pending line jumps to
//! the question that answers it.

use std::collections::{BTreeMap, BTreeSet};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

use super::intake::Case;
use super::intake::fields::{FieldId, for_fact};
mod keys;
pub mod marks;
mod view;

use crate::i18n::{Message, Tr};
use crate::rules::report::upcoming_when;
use crate::rules::{Evaluation, RuleSet};
use marks::{Mark, MarkEditor, MarkState};
pub use view::{draw, draw_problem};

/// The intake fields that answer `facts`, by their labels: short enough for a checklist line.
fn field_labels(facts: &[String], tr: &Tr) -> String {
    let mut labels: Vec<String> = Vec::new();
    for fact in facts {
        let label = for_fact(fact).map_or_else(
            || tr.t(&format!("fact.question.{fact}")),
            |f| tr.t(&format!("field.{}", f.name)),
        );
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    labels.join(", ")
}

/// A line the operator can select.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Document(String),
    Consent(String),
    Pending(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChecklistState {
    pub selected: usize,
    pub expanded: BTreeSet<String>,
    /// The mark of a document being noted.
    pub editor: Option<MarkEditor>,
}

/// The selectable lines of an evaluation, in screen order.
pub fn rows(evaluation: &Evaluation) -> Vec<Row> {
    evaluation
        .documents
        .iter()
        .map(|d| Row::Document(d.id.clone()))
        .chain(
            evaluation
                .consents
                .iter()
                .map(|c| Row::Consent(c.id.clone())),
        )
        .chain(
            evaluation
                .pending
                .iter()
                .map(|p| Row::Pending(p.rule.clone())),
        )
        .collect()
}

fn row_id(row: &Row) -> &str {
    match row {
        Row::Document(id) | Row::Consent(id) | Row::Pending(id) => id,
    }
}

impl ChecklistState {
    pub fn up(&mut self) -> bool {
        let before = self.selected;
        self.selected = self.selected.saturating_sub(1);
        before != self.selected
    }

    pub fn down(&mut self, evaluation: &Evaluation) -> bool {
        let before = self.selected;
        self.selected = (self.selected + 1).min(rows(evaluation).len().saturating_sub(1));
        before != self.selected
    }

    /// Opens or closes the "why" of the selected line.
    pub fn toggle(&mut self, evaluation: &Evaluation) -> bool {
        let Some(row) = rows(evaluation).get(self.selected).cloned() else {
            return false;
        };
        let id = row_id(&row).to_owned();
        if !self.expanded.remove(&id) {
            self.expanded.insert(id);
        }
        true
    }

    /// The question a selected pending line jumps to: the first of its facts whose field is
    /// on the form (`shown`), never a hidden one.
    pub fn question(
        &self,
        evaluation: &Evaluation,
        shown: impl Fn(FieldId) -> bool,
    ) -> Option<FieldId> {
        let Some(Row::Pending(rule)) = rows(evaluation).get(self.selected).cloned() else {
            return None;
        };
        let pending = evaluation.pending.iter().find(|p| p.rule == rule)?;
        pending
            .missing
            .iter()
            .filter_map(|f| for_fact(f))
            .map(|d| d.id)
            .find(|id| shown(*id))
    }

    /// Whether the selected line is a pending question.
    pub fn on_pending(&self, evaluation: &Evaluation) -> bool {
        matches!(rows(evaluation).get(self.selected), Some(Row::Pending(_)))
    }

    /// Space on a line: a document opens the mark editor (which document, number, date,
    /// note); a consent is marked given → not available → unmarked.
    pub fn mark(&mut self, evaluation: &Evaluation, case: &mut Case) -> bool {
        match rows(evaluation).get(self.selected) {
            Some(Row::Document(id)) => {
                let alternatives = evaluation
                    .documents
                    .iter()
                    .find(|d| &d.id == id)
                    .map(|d| d.one_of.clone())
                    .unwrap_or_default();
                self.editor = Some(MarkEditor::new(id, alternatives, case.marks.get(id)));
                true
            }
            _ => false,
        }
    }

    /// The consent on the selected line, if it is one.
    pub fn consent(&self, evaluation: &Evaluation) -> Option<String> {
        match rows(evaluation).get(self.selected) {
            Some(Row::Consent(id)) => Some(id.clone()),
            _ => None,
        }
    }

    /// Delete on a line: its mark is cleared.
    pub fn clear_mark(&mut self, evaluation: &Evaluation, case: &mut Case) -> bool {
        match rows(evaluation).get(self.selected) {
            Some(Row::Document(id)) => case.marks.remove(id).is_some(),
            _ => false,
        }
    }

    /// After a new evaluation: marks of items still required are kept, the others dropped;
    /// returns the notice to show when some were.
    pub fn follow(&mut self, evaluation: &Evaluation, case: &mut Case) -> Option<Message> {
        let rows = rows(evaluation);
        let still: BTreeSet<&str> = rows.iter().map(row_id).collect();
        let before = case.marks.len();
        case.marks.retain(|id, _| still.contains(id.as_str()));
        self.expanded.retain(|id| still.contains(id.as_str()));
        self.selected = self.selected.min(rows.len().saturating_sub(1));
        if self
            .editor
            .as_ref()
            .is_some_and(|e| !still.contains(e.id.as_str()))
        {
            self.editor = None;
        }
        (case.marks.len() < before).then(|| {
            Message::new("checklist.marks_dropped").arg("count", before - case.marks.len())
        })
    }
}

#[cfg(test)]
mod tests;
