//! The audit log as a hash chain. Every row carries the SHA-256 of the previous row's hash and
//! its own contents (id, time, operator, action, object, details), so that `regdesk audit
//! verify` finds a row edited, deleted or moved, and names the first one that does not fit.
//! Triggers refuse UPDATE and DELETE besides, so an edit needs a tool that bypasses regdesk.
//!
//! What a chain inside the file cannot see: rows cut off its end (the shortened chain is
//! itself consistent), or the whole log rewritten from some row on with new hashes. The latest
//! hash is therefore printed where it leaves the file (the daily summary); `verify --anchor
//! HASH` checks that a hash noted earlier is still in the chain.

use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use super::{Store, StoreError};
pub use crate::records::{AuditFilter, AuditRow};

/// The "previous hash" of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One row to append. `details` is JSON without personal data in clear.
#[derive(Debug, Clone, Copy)]
pub struct AuditEntry<'a> {
    pub operator: Option<i64>,
    pub action: &'a str,
    pub entity: Option<(&'a str, i64)>,
    pub details: &'a str,
}

/// The hash of a row: over the previous hash and the row's fields as a JSON array.
fn row_hash(previous: &str, row: &Row) -> String {
    let fields = serde_json::json!([
        row.id,
        row.at,
        row.operator,
        row.action,
        row.entity,
        row.entity_id,
        row.details
    ]);
    let mut hasher = Sha256::new();
    hasher.update(previous.as_bytes());
    hasher.update(b"\n");
    hasher.update(fields.to_string().as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Appends a row inside the caller's transaction (a `BEGIN IMMEDIATE` one: the chain's end
/// cannot move under it). Returns the row id.
pub(super) fn append(
    tx: &Transaction<'_>,
    at: &str,
    entry: &AuditEntry<'_>,
) -> rusqlite::Result<i64> {
    let last: Option<(i64, Option<String>)> = tx
        .query_row(
            "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (id, previous) = match last {
        Some((id, hash)) => (id + 1, hash.unwrap_or_else(|| GENESIS.to_owned())),
        None => (1, GENESIS.to_owned()),
    };
    let row = Row {
        id,
        at: at.to_owned(),
        operator: entry.operator,
        action: entry.action.to_owned(),
        entity: entry.entity.map(|e| e.0.to_owned()),
        entity_id: entry.entity.map(|e| e.1),
        details: Some(entry.details.to_owned()),
        hash: None,
    };
    let hash = row_hash(&previous, &row);
    tx.execute(
        "INSERT INTO audit_log(id, at, operator_id, action, entity, entity_id, details, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            at,
            row.operator,
            row.action,
            row.entity,
            row.entity_id,
            row.details,
            hash
        ],
    )?;
    Ok(id)
}

/// Computes the hashes of rows written before the chain existed (migration 5), in id order.
pub(super) fn chain_existing(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    let rows = read_rows(tx)?;
    let mut previous = GENESIS.to_owned();
    let mut update = tx.prepare("UPDATE audit_log SET hash = ?1 WHERE id = ?2")?;
    for row in rows {
        let hash = row.expected(&previous);
        update.execute(params![hash, row.id])?;
        previous = hash;
    }
    Ok(())
}

struct Row {
    id: i64,
    at: String,
    operator: Option<i64>,
    action: String,
    entity: Option<String>,
    entity_id: Option<i64>,
    details: Option<String>,
    hash: Option<String>,
}

impl Row {
    fn expected(&self, previous: &str) -> String {
        row_hash(previous, self)
    }
}

fn read_rows(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<Row>> {
    conn.prepare(
        "SELECT id, at, operator_id, action, entity, entity_id, details, hash
         FROM audit_log ORDER BY id",
    )?
    .query_map([], |r| {
        Ok(Row {
            id: r.get(0)?,
            at: r.get(1)?,
            operator: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            details: r.get(6)?,
            hash: r.get(7)?,
        })
    })?
    .collect()
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerdict {
    /// Every row fits the chain; the last row's id and hash (the anchor to note).
    Intact {
        rows: i64,
        last: Option<(i64, String)>,
    },
    /// The first row that does not fit: edited, moved, or the row before it deleted.
    Broken { id: i64, rows: i64 },
    /// The anchor given is not in the chain: the log was cut or rewritten since it was noted.
    AnchorMissing { rows: i64 },
}

impl Store {
    /// Appends one row to the audit log in its own transaction.
    pub fn audit(&mut self, entry: &AuditEntry<'_>) -> Result<i64, StoreError> {
        let now = super::timestamp(chrono::Utc::now());
        self.write(|tx| append(tx, &now, entry))
    }

    /// Walks the whole chain; with `anchor`, also checks that a row has that hash.
    pub fn verify_audit(&self, anchor: Option<&str>) -> Result<AuditVerdict, StoreError> {
        let rows = read_rows(&self.conn).map_err(|e| self.sqlite(e))?;
        let count = rows.len() as i64;
        let mut previous = GENESIS.to_owned();
        let mut expected_id = None;
        let mut anchored = anchor.is_none();
        for row in &rows {
            let fits = expected_id.is_none_or(|id| row.id == id)
                && row.hash.as_deref() == Some(row.expected(&previous).as_str());
            if !fits {
                return Ok(AuditVerdict::Broken {
                    id: row.id,
                    rows: count,
                });
            }
            previous = row.hash.clone().unwrap_or_default();
            anchored |= anchor.is_some_and(|a| a.eq_ignore_ascii_case(&previous));
            expected_id = Some(row.id + 1);
        }
        if !anchored {
            return Ok(AuditVerdict::AnchorMissing { rows: count });
        }
        Ok(AuditVerdict::Intact {
            rows: count,
            last: rows.last().map(|r| (r.id, previous.clone())),
        })
    }

    /// The id and hash of the chain's last row, to note outside the file.
    pub fn audit_anchor(&self) -> Result<Option<(i64, String)>, StoreError> {
        self.conn
            .query_row(
                "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
                [],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    ))
                },
            )
            .optional()
            .map_err(|e| self.sqlite(e))
    }
}

impl Store {
    /// The application ids of an applicant found by IIN, or of the application with this
    /// number.
    pub fn applications_of(
        &self,
        query: &crate::core::LookupQuery,
    ) -> Result<Vec<i64>, StoreError> {
        use crate::core::LookupQuery as Q;
        let (sql, value) = match query {
            Q::Iin(iin) => (
                "SELECT a.id FROM applications a JOIN applicants p ON p.id = a.applicant_id WHERE p.iin = ?1",
                iin,
            ),
            Q::Number(number) => ("SELECT id FROM applications WHERE number = ?1", number),
            _ => return Ok(Vec::new()),
        };
        let mut stmt = self.conn.prepare(sql).map_err(|e| self.sqlite(e))?;
        stmt.query_map(params![value], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sqlite(e))
    }

    /// The newest audit rows that pass `filter`, at most `limit`.
    pub fn audit_rows(
        &self,
        filter: &AuditFilter,
        limit: usize,
    ) -> Result<Vec<AuditRow>, StoreError> {
        let mut sql = String::from(
            "SELECT a.id, a.at, o.login, a.action, a.entity, a.entity_id, a.details
             FROM audit_log a LEFT JOIN operators o ON o.id = a.operator_id WHERE 1 = 1",
        );
        let mut values: Vec<Box<dyn rusqlite::ToSql>> = Vec::new();
        if let Some(login) = &filter.operator {
            values.push(Box::new(login.clone()));
            sql.push_str(&format!(" AND o.login = ?{}", values.len()));
        }
        if let Some(action) = &filter.action {
            values.push(Box::new(format!("{action}%")));
            sql.push_str(&format!(" AND a.action LIKE ?{}", values.len()));
        }
        if let Some(from) = &filter.from {
            values.push(Box::new(from.clone()));
            sql.push_str(&format!(" AND a.at >= ?{}", values.len()));
        }
        if let Some(ids) = &filter.applications {
            // The applicant's applications, and the consents recorded with them.
            let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
            let list = if list.is_empty() {
                "0".to_owned()
            } else {
                list
            };
            sql.push_str(&format!(
                " AND ((a.entity = 'application' AND a.entity_id IN ({list}))
                   OR (a.entity = 'consent' AND a.entity_id IN
                       (SELECT id FROM consents WHERE application_id IN ({list}))))"
            ));
        }
        values.push(Box::new(limit as i64));
        sql.push_str(&format!(" ORDER BY a.id DESC LIMIT ?{}", values.len()));
        let mut stmt = self.conn.prepare(&sql).map_err(|e| self.sqlite(e))?;
        let params: Vec<&dyn rusqlite::ToSql> = values.iter().map(|v| v.as_ref()).collect();
        stmt.query_map(params.as_slice(), |r| {
            Ok(AuditRow {
                id: r.get(0)?,
                at: r.get(1)?,
                operator: r.get(2)?,
                action: r.get(3)?,
                entity: r.get(4)?,
                entity_id: r.get(5)?,
                details: r.get(6)?,
            })
        })
        .and_then(|rows| rows.collect())
        .map_err(|e| self.sqlite(e))
    }
}
