//! Cases closed without an application (registration not required): kept with the facts and
//! the decision they were closed on, audited, counted in the day's summary, never numbered.

#[allow(unused_imports)]
use super::*;
use crate::records::{Closed, Closing};

impl Store {
    /// Closes the case kept in `closing.draft_id`: the closed case is written and its draft
    /// removed, in one transaction, with its audit row. A second call for the same draft finds
    /// the case closed the first time and adds nothing.
    pub fn close_case(&mut self, closing: &Closing) -> Result<Closed, StoreError> {
        let now = timestamp(Utc::now());
        let operator = closing.operator.or(self.actor);
        let reasons = serde_json::to_string(&closing.reasons).unwrap_or_else(|_| "[]".into());
        let details = serde_json::json!({
            "closed_as": closing.closed_as,
            "reasons": closing.reasons,
            "ruleset": format!("{} {}", closing.ruleset.0, closing.ruleset.1),
        })
        .to_string();
        self.write(|tx| {
            let before: Option<i64> = tx
                .query_row(
                    "SELECT id FROM closed_cases WHERE draft_id = ?1",
                    [closing.draft_id],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(id) = before {
                return Ok(Closed { id, already: true });
            }
            tx.execute(
                "INSERT INTO closed_cases(draft_id, iin, closed_as, reasons, ruleset_id,
                     ruleset_version, ruleset_sha256, decision_record, case_data, closed_by,
                     closed_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    closing.draft_id,
                    closing.iin,
                    closing.closed_as,
                    reasons,
                    closing.ruleset.0,
                    closing.ruleset.1,
                    closing.ruleset.2,
                    closing.decision_record,
                    closing.case_data,
                    operator,
                    now,
                ],
            )?;
            let id = tx.last_insert_rowid();
            audit::append(
                tx,
                &now,
                &AuditEntry {
                    operator,
                    action: "case.close",
                    entity: Some(("closed_case", id)),
                    details: &details,
                },
            )?;
            tx.execute("DELETE FROM drafts WHERE id = ?1", [closing.draft_id])?;
            Ok(Closed { id, already: false })
        })
    }
}
