//! The local store: the one module that owns SQL. It opens (and creates) the SQLite file,
//! applies migrations, and offers typed operations to the rest of regdesk.
//!
//! Durability: WAL journal with `synchronous = FULL`. In WAL mode `NORMAL` can lose the last
//! committed transactions on power loss (the file stays consistent, but a save the operator saw
//! confirmed would be gone); field laptops lose power, and a save costs ~0.3 ms with `FULL`,
//! so we pay it. Every write runs in a `BEGIN IMMEDIATE` transaction so that two regdesk
//! processes on one file queue behind the busy timeout instead of failing with "locked".

mod access;
mod accounts;
mod anchors;
mod applications;
mod audit;
mod backup;
mod bulk;
mod closed;
mod drafts;
mod encryption;
mod error;
mod keyring;
mod lifecycle;
mod lookup;
mod open;
mod operators;
mod retention;
mod schema;
mod sessions;
mod submit;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};

pub use access::KEY_FILE_LOGIN;
pub use accounts::{AccountChange, AccountFailure};
pub use anchors::{Anchor, AnchorCheck, default_anchor_path};
pub use applications::{Revocation, StoredApplication, StoredConsent};
pub use audit::{AuditEntry, AuditFilter, AuditRow, AuditVerdict, GENESIS as AUDIT_GENESIS};
pub use backup::{BackupDone, RestoreBy, Restored, check_backup, restore, same_file};
pub use bulk::DemoState;
pub use encryption::Encrypted;
pub use error::StoreError;
pub use keyring::{
    FILE_SLOT, Failure, Keyring, Unlock, keyring_path, operator_slot, side as side_path,
};
pub use lifecycle::{DailyReport, DueRegistration, StatusOutcome, StatusRequest, registration_end};
pub use lookup::{ApplicationRecord, Cursor, LookupFilter, LookupPage, LookupRow, StatusChange};
pub use open::{QUICK_CHECK_MAX_BYTES, in_use, is_encrypted_file, prepare_folder};
use open::{SQLITE_MAGIC, apply_key, check_kind, has_plain_header};
pub use operators::{
    AccountProblem, FREE_ATTEMPTS, Operator, SignIn, lock_for, valid_display_name, valid_login,
};
pub use retention::Retention;
pub use schema::latest_version;

pub use crate::clock::timestamp;
use crate::core::key_wrap::DbKey;
use crate::core::{ApplicationNumber, ApplicationStatus};
pub use crate::records::{
    Closed, Closing, IinMatches, KnownApplicant, Submission, Submitted, SubmittedAddress,
    SubmittedConsent, SubmittedDocument, full_name,
};

/// The form name the desk's drafts are kept under.
pub const DRAFT_FORM: &str = "intake";

/// The statuses `which` picks, as an SQL list (`('a', 'b')`): the life cycle's own sets, never
/// a second copy of them typed into a query.
pub(crate) fn status_list(which: fn(ApplicationStatus) -> bool) -> String {
    let codes: Vec<String> = ApplicationStatus::ALL
        .into_iter()
        .filter(|s| which(*s))
        .map(|s| format!("'{}'", s.code()))
        .collect();
    format!("({})", codes.join(", "))
}

/// `PRAGMA application_id` of every regdesk database ("RDSK"): tells our files from others.
pub const APPLICATION_ID: i32 = 0x5244_534B;

/// How long a write waits for another process before reporting "locked".
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether a database holds real records or fictional training data. The kind is written at
/// creation and checked at every open, so the two can never be mixed up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    Real,
    Training,
}

impl DatabaseKind {
    fn code(self) -> &'static str {
        match self {
            DatabaseKind::Real => "real",
            DatabaseKind::Training => "training",
        }
    }
}

/// Options for [`Store::open_with`].
#[derive(Debug, Clone)]
pub struct OpenOptions {
    pub kind: DatabaseKind,
    pub busy_timeout: Duration,
    /// Commits never fold the WAL into the file themselves: a checkpointer thread does it
    /// (see `checkpointer`), so an operator's save never waits for a checkpoint. Only for a
    /// process that runs one (the desk); short commands keep SQLite's automatic ones.
    pub checkpoint_in_background: bool,
    /// The key of an encrypted database (SQLCipher), or of one to create encrypted. A plain
    /// file (an older database, a training one) opens without it.
    pub key: Option<DbKey>,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            kind: DatabaseKind::Real,
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
            checkpoint_in_background: false,
            key: None,
        }
    }
}

/// What [`Store::open`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenReport {
    /// The file did not exist or was empty, and was set up now.
    pub created: bool,
    /// Schema version before migrations ran.
    pub migrated_from: u32,
}

/// An open regdesk database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    kind: DatabaseKind,
    /// The key it was opened with (`None`: a plain file).
    key: Option<DbKey>,
    /// The operator whose key slot a command unlocked the file with: its audit rows are
    /// theirs when the command names nobody else.
    actor: Option<i64>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("kind", &self.kind)
            .field("encrypted", &self.key.is_some())
            .finish()
    }
}

impl Store {
    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn kind(&self) -> DatabaseKind {
        self.kind
    }

    /// Whether the file is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// The key the file is encrypted with, for a backup of it or a new key slot.
    pub fn key(&self) -> Option<&DbKey> {
        self.key.as_ref()
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        self.conn
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(|e| StoreError::from_sqlite(&self.path, e))
    }

    fn sqlite(&self, error: rusqlite::Error) -> StoreError {
        StoreError::from_sqlite(&self.path, error)
    }

    /// Runs `work` inside one `BEGIN IMMEDIATE` transaction: all of it is saved, or none.
    fn write<T>(
        &mut self,
        work: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let path = self.path.clone();
        let sqlite = |e| StoreError::from_sqlite(&path, e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sqlite)?;
        let value = work(&tx).map_err(sqlite)?;
        tx.commit().map_err(sqlite)?;
        Ok(value)
    }

    /// Appends one row to the audit log. `details` must not hold personal data in clear.
    pub fn append_audit(
        &mut self,
        operator_id: Option<i64>,
        action: &str,
        entity: Option<(&str, i64)>,
        details: &str,
    ) -> Result<i64, StoreError> {
        self.audit(&AuditEntry {
            operator: operator_id.or(self.actor),
            action,
            entity,
            details,
        })
    }

    /// Number of rows in the audit log.
    pub fn audit_len(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))
            .map_err(|e| self.sqlite(e))
    }

    /// Names of the tables, for diagnostics and tests.
    pub fn table_names(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .map_err(|e| self.sqlite(e))?;
        let names = stmt
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect::<Result<Vec<String>, _>>())
            .map_err(|e| self.sqlite(e))?;
        Ok(names)
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod lookup_tests;

#[cfg(test)]
mod encryption_tests;
