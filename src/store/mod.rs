//! The local store: the one module that owns SQL. It opens (and creates) the SQLite file,
//! applies migrations, and offers typed operations to the rest of regdesk.
//!
//! Durability: WAL journal with `synchronous = FULL`. In WAL mode `NORMAL` can lose the last
//! committed transactions on power loss (the file stays consistent, but a save the operator saw
//! confirmed would be gone); field laptops lose power, and a save costs ~0.3 ms with `FULL`,
//! so we pay it. Every write runs in a `BEGIN IMMEDIATE` transaction so that two regdesk
//! processes on one file queue behind the busy timeout instead of failing with "locked".

mod error;
mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};

pub use error::StoreError;
pub use schema::latest_version;

use crate::core::ApplicationNumber;

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
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            kind: DatabaseKind::Real,
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
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
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("kind", &self.kind)
            .finish()
    }
}

impl Store {
    /// Opens or creates a real (non-training) database at `path`.
    pub fn open(path: &Path) -> Result<(Store, OpenReport), StoreError> {
        Store::open_with(path, &OpenOptions::default())
    }

    pub fn open_with(
        path: &Path,
        options: &OpenOptions,
    ) -> Result<(Store, OpenReport), StoreError> {
        let sqlite = |e| StoreError::from_sqlite(path, e);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::DirectoryNotWritable {
                path: dir.to_path_buf(),
                detail: e.to_string(),
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(sqlite)?;
        conn.busy_timeout(options.busy_timeout).map_err(sqlite)?;

        let (app_id, version, objects) = read_header(&conn).map_err(sqlite)?;
        let fresh = app_id == 0 && version == 0 && objects == 0;
        if !fresh && app_id != APPLICATION_ID {
            return Err(StoreError::NotRegdesk {
                path: path.to_path_buf(),
            });
        }
        if version > latest_version() {
            return Err(StoreError::NewerVersion {
                path: path.to_path_buf(),
                found: version,
                supported: latest_version(),
            });
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sqlite)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sqlite)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sqlite)?;

        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            kind: options.kind,
        };
        let migrated_from = store.migrate()?;
        store.check_kind(options.kind)?;
        Ok((
            store,
            OpenReport {
                created: fresh,
                migrated_from,
            },
        ))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn kind(&self) -> DatabaseKind {
        self.kind
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

    /// Applies the missing migrations in one transaction; returns the version found before.
    fn migrate(&mut self) -> Result<u32, StoreError> {
        let kind = self.kind;
        let before = self.schema_version()?;
        if before == latest_version() {
            return Ok(before);
        }
        self.write(|tx| {
            // Read again under the write lock: another regdesk may have migrated meanwhile.
            let version: u32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
            for (index, sql) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
                tx.execute_batch(sql)?;
                tx.pragma_update(None, "user_version", index as u32 + 1)?;
            }
            if version == 0 {
                tx.pragma_update(None, "application_id", APPLICATION_ID)?;
                tx.execute(
                    "INSERT INTO regdesk_meta(key, value) VALUES ('kind', ?1), ('created_at', ?2)",
                    params![kind.code(), timestamp(Utc::now())],
                )?;
            }
            Ok(())
        })?;
        Ok(before)
    }

    fn check_kind(&self, expected: DatabaseKind) -> Result<(), StoreError> {
        let found: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM regdesk_meta WHERE key = 'kind'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.sqlite(e))?;
        let training = found.as_deref() == Some(DatabaseKind::Training.code());
        if training != (expected == DatabaseKind::Training) {
            return Err(StoreError::WrongKind {
                path: self.path.clone(),
                training,
            });
        }
        Ok(())
    }

    /// Takes the next application number of `year`. The counter lives in the database, so two
    /// desks on one file never hand out the same number.
    pub fn next_application_number(&mut self, year: i32) -> Result<ApplicationNumber, StoreError> {
        let sequence: u32 = self.write(|tx| {
            tx.query_row(
                "INSERT INTO application_numbers(year, last) VALUES (?1, 1)
                 ON CONFLICT(year) DO UPDATE SET last = last + 1
                 RETURNING last",
                params![year],
                |r| r.get(0),
            )
        })?;
        ApplicationNumber::new(year, sequence).ok_or_else(|| StoreError::Sqlite {
            path: self.path.clone(),
            detail: format!("application numbers of {year} are exhausted"),
        })
    }

    /// Appends one row to the audit log. `details` must not hold personal data in clear.
    pub fn append_audit(
        &mut self,
        operator_id: Option<i64>,
        action: &str,
        entity: Option<(&str, i64)>,
        details: &str,
    ) -> Result<i64, StoreError> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO audit_log(at, operator_id, action, entity, entity_id, details)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    timestamp(Utc::now()),
                    operator_id,
                    action,
                    entity.map(|e| e.0),
                    entity.map(|e| e.1),
                    details
                ],
            )?;
            Ok(tx.last_insert_rowid())
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

/// Reads what tells a fresh file, a regdesk file and a foreign file apart.
fn read_header(conn: &Connection) -> rusqlite::Result<(i32, u32, u32)> {
    let app_id = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let objects = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    Ok((app_id, version, objects))
}

/// The one text form of a timestamp in the database: UTC, seconds precision.
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests;
