//! Moving applications through their life cycle: a status change with its history and audit
//! rows in one transaction, the expiry of temporary registrations, the lists of registrations
//! ending soon and of documents still to come, and the daily summary.

use chrono::{NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};

use crate::core::ApplicationStatus;

use super::{Store, StoreError, timestamp};
pub use crate::records::{DailyReport, DueRegistration, StatusOutcome, StatusRequest};

pub use crate::core::registration::registration_end;

impl Store {
    /// Changes the status of an application, if the life cycle allows it: the application, a
    /// history row and an audit row in one transaction. A registration records its period.
    pub fn change_status(&mut self, request: &StatusRequest) -> Result<StatusOutcome, StoreError> {
        let r = request;
        let reason = r
            .reason_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        if r.to == ApplicationStatus::Refused && reason.is_none() {
            return Ok(StatusOutcome::NeedsReason);
        }
        let note = r.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        let now = timestamp(Utc::now());
        let mut refused = false;
        let outcome = self.write(|tx| {
            let found = tx
                .query_row(
                    "SELECT id, status, registration_type, period_months FROM applications
                     WHERE number = ?1",
                    params![r.number],
                    |row| {
                        Ok((
                            row.get::<_, i64>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, String>(2)?,
                            row.get::<_, Option<u32>>(3)?,
                        ))
                    },
                )
                .optional()?;
            let Some((id, status, kind, months)) = found else {
                return Ok(StatusOutcome::NotFound);
            };
            let Some(from) = ApplicationStatus::from_code(&status) else {
                return Ok(StatusOutcome::NotFound);
            };
            let override_reason = r
                .override_reason
                .as_deref()
                .map(str::trim)
                .filter(|reason| !reason.is_empty());
            // A registration expires by the expiry run only (`Store::expire`), when its last
            // day has passed: never as a status picked by hand, whoever asks.
            if r.to == ApplicationStatus::Expired {
                return Ok(StatusOutcome::Forbidden {
                    from,
                    allowed: from
                        .next_allowed()
                        .into_iter()
                        .filter(|s| *s != ApplicationStatus::Expired)
                        .collect(),
                });
            }
            let overriding = from.change_to(r.to).is_err();
            // The role is checked here too, whatever the caller showed: an operator's change
            // carries their id (none: regdesk's own tools, such as expiry).
            if let Some(operator) = r.operator {
                let role: Option<String> = tx
                    .query_row(
                        "SELECT role FROM operators WHERE id = ?1 AND active = 1",
                        params![operator],
                        |row| row.get(0),
                    )
                    .optional()?;
                let training = tx
                    .query_row(
                        "SELECT value = 'training' FROM regdesk_meta WHERE key = 'kind'",
                        [],
                        |row| row.get(0),
                    )
                    .unwrap_or(false);
                let allowed = role
                    .as_deref()
                    .and_then(crate::core::Role::from_code)
                    .is_some_and(|role| {
                        role.allows(crate::core::Permission::ChangeStatus(r.to), training)
                            && (!overriding
                                || role.allows(crate::core::Permission::Override, training))
                    });
                if !allowed {
                    refused = true;
                    return Ok(StatusOutcome::NotPermitted);
                }
            }
            if overriding && (override_reason.is_none() || !from.overrides().contains(&r.to)) {
                return Ok(StatusOutcome::Forbidden {
                    from,
                    allowed: from.next_allowed(),
                });
            }
            let mut period = None;
            if r.to == ApplicationStatus::Registered {
                let start = r.registered_from.unwrap_or(r.today);
                let end = (kind == "temporary")
                    .then(|| registration_end(start, months.unwrap_or(1)))
                    .flatten();
                tx.execute(
                    "UPDATE applications SET registered_from = ?1, registered_until = ?2
                     WHERE id = ?3",
                    params![start.to_string(), end.map(|e| e.to_string()), id],
                )?;
                period = Some((start, end));
            }
            tx.execute(
                "UPDATE applications SET status = ?1, updated_at = ?2 WHERE id = ?3",
                params![r.to.code(), now, id],
            )?;
            let reason = (r.to == ApplicationStatus::Refused)
                .then_some(reason)
                .flatten();
            // An override keeps its reason in the history, beside any note.
            let note = match (override_reason, note) {
                (Some(why), Some(note)) => Some(format!("{why} · {note}")),
                (Some(why), None) => Some(why.to_owned()),
                (None, note) => note.map(str::to_owned),
            };
            tx.execute(
                "INSERT INTO status_history(application_id, status, reason_code, note, changed_by,
                    changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, r.to.code(), reason, note, r.operator, now],
            )?;
            let details = serde_json::json!({
                "number": r.number, "from": from.code(), "to": r.to.code(), "reason": reason,
                "override": overriding,
            })
            .to_string();
            super::audit::append(
                tx,
                &now,
                &super::AuditEntry {
                    operator: r.operator,
                    action: if overriding {
                        "application.override"
                    } else {
                        "application.status"
                    },
                    entity: Some(("application", id)),
                    details: &details,
                },
            )?;
            Ok(StatusOutcome::Changed {
                from,
                to: r.to,
                period,
            })
        })?;
        if refused {
            // Written after the refused transaction, which changed nothing.
            let details = serde_json::json!({ "what": "change_status", "number": r.number, "to": r.to.code() })
                .to_string();
            self.audit(&super::AuditEntry {
                operator: r.operator,
                action: "permission.refused",
                entity: None,
                details: &details,
            })?;
        }
        Ok(outcome)
    }

    /// Moves every temporary registration that ended before `today` to "expired", each with
    /// its history and audit rows, all in one transaction. Returns their numbers.
    pub fn expire(&mut self, today: NaiveDate) -> Result<Vec<String>, StoreError> {
        let now = timestamp(Utc::now());
        // Whoever ran it (a command's account); none for the desk's own run at its start.
        let actor = self.actor;
        self.write(|tx| {
            let ended: Vec<(i64, String)> = tx
                .prepare(
                    "SELECT id, number FROM applications WHERE status = 'registered'
                     AND registered_until IS NOT NULL AND registered_until < ?1 ORDER BY id",
                )?
                .query_map(params![today.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            for (id, number) in &ended {
                tx.execute(
                    "UPDATE applications SET status = 'expired', updated_at = ?1 WHERE id = ?2",
                    params![now, id],
                )?;
                tx.execute(
                    "INSERT INTO status_history(application_id, status, note, changed_by,
                        changed_at)
                     VALUES (?1, 'expired', 'registration period ended', ?2, ?3)",
                    params![id, actor, now],
                )?;
                let details = serde_json::json!({
                    "number": number, "from": "registered", "to": "expired",
                })
                .to_string();
                super::audit::append(
                    tx,
                    &now,
                    &super::AuditEntry {
                        operator: actor,
                        action: "application.expire",
                        entity: Some(("application", *id)),
                        details: &details,
                    },
                )?;
            }
            Ok(ended.into_iter().map(|(_, n)| n).collect())
        })
    }

    /// Temporary registrations whose last day is within `days` of `today` (the soonest
    /// first), and, with `follow_ups`, those still waiting for a document instead.
    pub fn due_registrations(
        &self,
        today: NaiveDate,
        days: u32,
        follow_ups: bool,
    ) -> Result<Vec<DueRegistration>, StoreError> {
        let sqlite = |e| StoreError::from_sqlite(&self.path, e);
        let last = today + chrono::Days::new(u64::from(days));
        let sql = if follow_ups {
            "SELECT a.number, p.surname, p.given_name, p.iin, a.registered_until, a.follow_up
             FROM applications a JOIN applicants p ON p.id = a.applicant_id
             WHERE a.status = 'registered' AND a.registered_until IS NOT NULL
               AND a.follow_up IS NOT NULL
             ORDER BY a.registered_until, a.id LIMIT 500"
        } else {
            "SELECT a.number, p.surname, p.given_name, p.iin, a.registered_until, a.follow_up
             FROM applications a JOIN applicants p ON p.id = a.applicant_id
             WHERE a.status = 'registered' AND a.registered_until >= ?1
               AND a.registered_until <= ?2
             ORDER BY a.registered_until, a.id LIMIT 500"
        };
        let mut stmt = self.conn.prepare_cached(sql).map_err(sqlite)?;
        let bounds = [today.to_string(), last.to_string()];
        let bounds: &[String] = if follow_ups { &[] } else { &bounds };
        stmt.query_map(rusqlite::params_from_iter(bounds), |r| {
            Ok(DueRegistration {
                number: r.get(0)?,
                surname: r.get(1)?,
                given_name: r.get(2)?,
                iin: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                until: r.get(4)?,
                follow_up: r.get(5)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(sqlite)
    }

    /// The status changes made between `from` and `until` (UTC timestamps: the local day),
    /// counted by status, refusals by reason, and by operator.
    pub fn daily_report(
        &self,
        date: NaiveDate,
        from: &str,
        until: &str,
    ) -> Result<DailyReport, StoreError> {
        let sqlite = |e| StoreError::from_sqlite(&self.path, e);
        let count = |sql: &str| -> Result<Vec<(Option<String>, i64)>, StoreError> {
            let mut stmt = self.conn.prepare(sql).map_err(sqlite)?;
            stmt.query_map(params![from, until], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(|rows| rows.collect())
                .map_err(sqlite)
        };
        let named = |rows: Vec<(Option<String>, i64)>| {
            rows.into_iter()
                .map(|(k, n)| (k.unwrap_or_default(), n))
                .collect()
        };
        Ok(DailyReport {
            date,
            by_status: named(count(
                "SELECT status, count(*) FROM status_history
                 WHERE changed_at >= ?1 AND changed_at < ?2 GROUP BY status ORDER BY status",
            )?),
            by_reason: named(count(
                "SELECT reason_code, count(*) FROM status_history
                 WHERE changed_at >= ?1 AND changed_at < ?2 AND status = 'refused'
                 GROUP BY reason_code ORDER BY reason_code",
            )?),
            by_operator: count(
                "SELECT o.display_name, count(*) FROM status_history h
                 LEFT JOIN operators o ON o.id = h.changed_by
                 WHERE h.changed_at >= ?1 AND h.changed_at < ?2
                 GROUP BY h.changed_by ORDER BY o.display_name",
            )?,
            closed: named(count(
                "SELECT closed_as, count(*) FROM closed_cases
                 WHERE closed_at >= ?1 AND closed_at < ?2 GROUP BY closed_as ORDER BY closed_as",
            )?),
            anchor: self.audit_anchor()?,
        })
    }
}
