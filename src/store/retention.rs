//! Retention: applicants whose applications are all closed (refused, withdrawn, expired) and
//! last changed longer ago than the retention period are anonymised. Their names, IIN,
//! birth day, address, representatives, document numbers, consent givers and the personal
//! parts of the decision records are replaced. What statistics need stays: statuses and their
//! history, reasons, dates, registration types, regions, birth year, sex, citizenship. The
//! overwritten bytes are zeroed (`secure_delete`) and the WAL folded in, so they do not linger
//! in the file.

use rusqlite::params;

use super::{AuditEntry, Store, StoreError, audit, timestamp};

/// What the period finds (a dry run) or did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Retention {
    /// The application numbers of the applicants concerned.
    pub applications: Vec<String>,
    pub applicants: usize,
    /// Cases closed without an application (registration not required) that long ago.
    pub closed_cases: usize,
}

impl Store {
    /// The applicants to anonymise: every application closed, the last change before
    /// `before` (a UTC timestamp). With `apply`, anonymises them in one transaction (audited);
    /// otherwise changes nothing.
    pub fn retention(&mut self, before: &str, apply: bool) -> Result<Retention, StoreError> {
        self.require(crate::core::Permission::Retention)?;
        let actor = self.actor;
        let path = self.path.clone();
        let sqlite = |e| StoreError::from_sqlite(&path, e);
        let closed = super::status_list(crate::core::ApplicationStatus::is_final);
        let due_sql = format!(
            "SELECT p.id FROM applicants p WHERE p.iin IS NOT NULL
               AND EXISTS (SELECT 1 FROM applications a WHERE a.applicant_id = p.id)
               AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.applicant_id = p.id
                               AND (a.status NOT IN {closed} OR a.updated_at >= ?1))"
        );
        let ids: Vec<i64> = self
            .conn
            .prepare(&due_sql)
            .and_then(|mut s| s.query_map(params![before], |r| r.get(0))?.collect())
            .map_err(sqlite)?;
        let mut numbers = Vec::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT number FROM applications WHERE applicant_id = ?1 ORDER BY id")
                .map_err(sqlite)?;
            for id in &ids {
                let of: Vec<String> = stmt
                    .query_map(params![id], |r| r.get(0))
                    .and_then(|rows| rows.collect())
                    .map_err(sqlite)?;
                numbers.extend(of);
            }
        }
        let closed_cases: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM closed_cases WHERE iin IS NOT NULL AND closed_at < ?1",
                params![before],
                |r| r.get(0),
            )
            .map_err(sqlite)?;
        let found = Retention {
            applications: numbers,
            applicants: ids.len(),
            closed_cases: usize::try_from(closed_cases).unwrap_or(0),
        };
        if !apply || (ids.is_empty() && closed_cases == 0) {
            return Ok(found);
        }
        self.conn
            .pragma_update(None, "secure_delete", "ON")
            .map_err(sqlite)?;
        let now = timestamp(chrono::Utc::now());
        let count = found.applications.len();
        let result = self.write(|tx| {
            for id in &ids {
                tx.execute(
                    "UPDATE applicants SET iin = NULL, surname = '—', given_name = '—',
                        patronymic = NULL, name_key = '', sort_key = '',
                        birth_date = substr(birth_date, 1, 4), updated_at = ?2
                     WHERE id = ?1",
                    params![id, now],
                )?;
                tx.execute(
                    "UPDATE consents SET giver_name = '—', giver_iin = NULL
                     WHERE application_id IN (SELECT id FROM applications WHERE applicant_id = ?1)",
                    params![id],
                )?;
                tx.execute(
                    "UPDATE documents_presented SET number = NULL
                     WHERE application_id IN (SELECT id FROM applications WHERE applicant_id = ?1)",
                    params![id],
                )?;
                // The decision: its verdict and the rules stay; the case's fields (names,
                // numbers, the address as typed) go.
                tx.execute(
                    "UPDATE applications SET street = NULL, house = NULL, building = NULL,
                        apartment = NULL, rka = NULL, representative_iin = NULL,
                        representative_name = NULL, representative_basis = NULL,
                        decision_record = CASE WHEN json_valid(decision_record)
                            THEN json_remove(decision_record, '$.case') END,
                        updated_at = updated_at
                     WHERE applicant_id = ?1",
                    params![id],
                )?;
            }
            // Closed cases keep why and when (the statistics); who, and the case, go.
            tx.execute(
                "UPDATE closed_cases SET iin = NULL, case_data = '{}',
                    decision_record = CASE WHEN json_valid(decision_record)
                        THEN json_remove(decision_record, '$.case') END
                 WHERE iin IS NOT NULL AND closed_at < ?1",
                params![before],
            )?;
            let details = serde_json::json!({ "applicants": ids.len(), "applications": count, "closed_cases": closed_cases, "before": before })
                .to_string();
            audit::append(
                tx,
                &now,
                &AuditEntry {
                    operator: actor,
                    action: "retention.anonymise",
                    entity: None,
                    details: &details,
                },
            )?;
            Ok(())
        });
        result?;
        // Fold the WAL (which holds the pages as they were before) into the file and empty it.
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(sqlite)?;
        // Rows updated before secure_delete was on (by an older regdesk, or by a bulk load)
        // left their old bytes in the free space of their pages: rebuilding the file leaves
        // none of them, then the WAL that carried the rebuild is emptied too.
        self.conn.execute_batch("VACUUM").map_err(sqlite)?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(sqlite)?;
        Ok(found)
    }
}
