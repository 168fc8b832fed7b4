//! The key slots of an encrypted database: `<database>.keys`, a small plain SQLite file of
//! ours (readable by its owner only) beside it. Each slot holds the database key sealed for
//! one operator, or for the key file of a kiosk or a script (see `core::key_wrap`); nothing
//! in it is personal data of applicants. It also keeps each slot's lockout (the database
//! itself cannot be read before a slot opened it) and the failed attempts, which go into the
//! database's audit trail at the next unlock.
//!
//! A new key slots file is written beside as `.keys.new` and renamed into place, so a power
//! cut leaves the old one or the new one, whole. It names the database file it belongs to by
//! that file's SQLCipher salt (its first 16 bytes, random per file): when a conversion or a
//! new key was cut short between renaming the database and renaming its slots, the next open
//! sees which of the two slot files belongs to the file there, and finishes or drops the other.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::{StoreError, timestamp};
use crate::core::key_wrap::{self, DbKey, Sealed};
use crate::core::lockout::{Attempt, Lockout, unknown_login_tag};

/// `PRAGMA application_id` of a key slots file ("RDKS").
pub const KEYRING_ID: i32 = 0x5244_4B53;

/// The slot of a key file (`--key-file`).
pub const FILE_SLOT: &str = "file";

/// The slot of an operator's password.
pub fn operator_slot(login: &str) -> String {
    format!("operator:{login}")
}

/// Where the key slots of `database` are.
pub fn keyring_path(database: &Path) -> PathBuf {
    side(database, ".keys")
}

pub fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

const SCHEMA: &str = "
CREATE TABLE slots (
    name TEXT PRIMARY KEY,
    memory_kib INTEGER NOT NULL,
    passes INTEGER NOT NULL,
    lanes INTEGER NOT NULL,
    salt BLOB NOT NULL,
    nonce BLOB NOT NULL,
    sealed BLOB NOT NULL,
    created_at TEXT NOT NULL,
    failed INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT
);
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
CREATE TABLE failures (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    slot TEXT NOT NULL,
    locked INTEGER NOT NULL
);
";

/// The lockout of slot names that exist nowhere (a login with no slot), by tag: added to
/// older key slots files when they are opened.
const UNKNOWN_SLOTS: &str = "
CREATE TABLE IF NOT EXISTS unknown_slots (
    tag TEXT PRIMARY KEY,
    failed INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT
);
";

/// What became of an unlock.
#[derive(Debug, PartialEq, Eq)]
pub enum Unlock {
    Key(DbKey),
    /// Wrong secret, or no such slot (the two are not told apart).
    Refused,
    Locked {
        until: DateTime<Utc>,
    },
}

/// A failed attempt, kept until the database is open to audit it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub at: String,
    /// The slot tried: `operator:<login>`, `file`, or `(unknown)`.
    pub slot: String,
    pub locked: bool,
}

/// The SQLCipher salt of an encrypted database file: its first 16 bytes.
pub fn file_salt(database: &Path) -> Option<[u8; 16]> {
    let mut salt = [0u8; 16];
    let mut file = std::fs::File::open(database).ok()?;
    std::io::Read::read_exact(&mut file, &mut salt).ok()?;
    (&salt != super::SQLITE_MAGIC).then_some(salt)
}

/// The database salt a key slots file of ours names, if it names one.
pub(super) fn bound_salt(keys: &Path) -> Option<Vec<u8>> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(keys, flags).ok()?;
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .ok()?;
    if app_id != KEYRING_ID {
        return None;
    }
    conn.query_row(
        "SELECT value FROM meta WHERE key = 'database_salt'",
        [],
        |r| r.get(0),
    )
    .ok()
}

/// Finishes or drops key slots left staged (`.keys.new`) by a conversion or a new key that was
/// cut short: they are put in place when they belong to the database file there now (it was
/// renamed, they were not yet), and removed when they do not (the file was never renamed).
fn settle(database: &Path) {
    let keys = keyring_path(database);
    let staged = side(&keys, ".new");
    if !staged.is_file() {
        return;
    }
    let Some(staged_salt) = bound_salt(&staged) else {
        // Not bound (a new database's, being written right now) or not ours: left alone.
        return;
    };
    if file_salt(database).is_some_and(|salt| salt.as_slice() == staged_salt.as_slice()) {
        let _ = Keyring::commit_staged(database);
    } else if !side(database, ".encrypting").exists() {
        // A conversion that never reached its rename (its copy is gone): these slots seal a
        // key to no file.
        let _ = std::fs::remove_file(&staged);
    }
}

/// A slot that no secret opens, tried for a name without a slot.
fn decoy() -> &'static Sealed {
    static DECOY: std::sync::OnceLock<Sealed> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| key_wrap::seal(&DbKey::random(), "(decoy)", "decoy: no slot"))
}

/// An open key slots file.
pub struct Keyring {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring").field("path", &self.path).finish()
    }
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(super::DEFAULT_BUSY_TIMEOUT)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

impl Keyring {
    /// Whether `database` has key slots beside it (it is, or is becoming, encrypted).
    pub fn exists(database: &Path) -> bool {
        settle(database);
        std::fs::metadata(keyring_path(database)).is_ok_and(|m| m.is_file() && m.len() > 0)
    }

    /// Whether the key slots of `database` are there and ours, from their header alone: no
    /// SQLite connection (the desk says so before its first frame, and the cipher library
    /// starts only when the sign-in needs it).
    pub fn check(database: &Path) -> Result<(), StoreError> {
        let path = keyring_path(database);
        // Missing, damaged or another program's: said as this database's slots.
        let not_ours = || StoreError::NoKeySlots {
            path: database.to_path_buf(),
        };
        if !Keyring::exists(database) {
            return Err(not_ours());
        }
        let mut header = [0u8; 100];
        let read = std::io::Read::read_exact(
            &mut std::fs::File::open(&path).map_err(|_| not_ours())?,
            &mut header,
        );
        let app_id = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
        if read.is_err() || &header[..16] != super::SQLITE_MAGIC || app_id != KEYRING_ID {
            return Err(not_ours());
        }
        Ok(())
    }

    /// Opens the key slots of `database`; a file there that is not ours is refused unwritten.
    pub fn open(database: &Path) -> Result<Keyring, StoreError> {
        let path = keyring_path(database);
        let sqlite = |e| StoreError::from_sqlite(&path, e);
        Keyring::check(database)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&path, flags).map_err(sqlite)?;
        configure(&conn).map_err(sqlite)?;
        // A key slots file on read-only media (a backup's) still opens: without this table,
        // unknown names are refused uncounted.
        let _ = conn.execute_batch(UNKNOWN_SLOTS);
        Ok(Keyring { conn, path })
    }

    /// Writes new key slots for `database`, replacing a key slots file of ours that is there:
    /// each `(slot, secret)` gets `key` sealed. Written beside and renamed into place.
    pub fn create(
        database: &Path,
        key: &DbKey,
        slots: &[(String, &str)],
    ) -> Result<(), StoreError> {
        Keyring::stage(database, key, slots, None)?;
        Keyring::commit_staged(database)
    }

    /// Writes new key slots for `database` as `.keys.new`, not yet in place: bound to the
    /// database file whose salt is `salt` (the one about to be renamed into place).
    pub fn stage(
        database: &Path,
        key: &DbKey,
        slots: &[(String, &str)],
        salt: Option<[u8; 16]>,
    ) -> Result<(), StoreError> {
        let path = keyring_path(database);
        if Keyring::exists(database) {
            // Only ours is replaced (it sealed a key to a database that is no more).
            drop(Keyring::open(database)?);
        }
        let staged = side(&path, ".new");
        let sqlite = |e| StoreError::from_sqlite(&staged, e);
        let not_writable = |p: &Path, e: std::io::Error| StoreError::DirectoryNotWritable {
            path: p.to_path_buf(),
            detail: e.to_string(),
        };
        let _ = std::fs::remove_file(&staged);
        crate::files::create_private_file(&staged).map_err(|e| not_writable(&staged, e))?;
        let written = (|| {
            let conn = Connection::open(&staged).map_err(sqlite)?;
            configure(&conn).map_err(sqlite)?;
            let mut ring = Keyring {
                conn,
                path: staged.clone(),
            };
            ring.conn.execute_batch(SCHEMA).map_err(sqlite)?;
            ring.conn
                .pragma_update(None, "application_id", KEYRING_ID)
                .map_err(sqlite)?;
            ring.conn
                .pragma_update(None, "user_version", 1)
                .map_err(sqlite)?;
            for (name, secret) in slots {
                ring.set_slot(name, secret, key)?;
            }
            if let Some(salt) = salt {
                ring.bind(salt)?;
            }
            drop(ring);
            crate::platform::sync_file(&staged).map_err(|e| not_writable(&staged, e))
        })();
        if let Err(error) = written {
            let _ = std::fs::remove_file(&staged);
            return Err(error);
        }
        Ok(())
    }

    /// Puts the key slots staged for `database` in place.
    pub fn commit_staged(database: &Path) -> Result<(), StoreError> {
        let path = keyring_path(database);
        std::fs::rename(side(&path, ".new"), &path).map_err(|e| {
            StoreError::DirectoryNotWritable {
                path: path.clone(),
                detail: e.to_string(),
            }
        })?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::platform::sync_dir(dir);
        }
        Ok(())
    }

    /// Names the database file these slots belong to, by its salt.
    pub fn bind(&mut self, salt: [u8; 16]) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('database_salt', ?1)",
                params![salt.to_vec()],
            )
            .map(|_| ())
            .map_err(|e| StoreError::from_sqlite(&self.path, e))
    }

    /// Seals `key` for the slot `name` with `secret`, replacing the slot's old seal and lockout.
    pub fn set_slot(&mut self, name: &str, secret: &str, key: &DbKey) -> Result<(), StoreError> {
        let sealed = key_wrap::seal(key, name, secret);
        self.conn
            .execute(
                "INSERT INTO slots (name, memory_kib, passes, lanes, salt, nonce, sealed, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (name) DO UPDATE SET memory_kib = excluded.memory_kib,
                    passes = excluded.passes, lanes = excluded.lanes, salt = excluded.salt,
                    nonce = excluded.nonce, sealed = excluded.sealed,
                    created_at = excluded.created_at, failed = 0, locked_until = NULL",
                params![
                    name,
                    sealed.memory_kib,
                    sealed.passes,
                    sealed.lanes,
                    sealed.salt,
                    sealed.nonce,
                    sealed.sealed,
                    timestamp(Utc::now())
                ],
            )
            .map_err(|e| StoreError::from_sqlite(&self.path, e))?;
        Ok(())
    }

    /// Removes a slot (a disabled account). Whether there was one.
    pub fn remove_slot(&mut self, name: &str) -> Result<bool, StoreError> {
        self.conn
            .execute("DELETE FROM slots WHERE name = ?1", params![name])
            .map(|n| n > 0)
            .map_err(|e| StoreError::from_sqlite(&self.path, e))
    }

    /// The names of the slots.
    pub fn slot_names(&self) -> Result<Vec<String>, StoreError> {
        let sqlite = |e| StoreError::from_sqlite(&self.path, e);
        let mut statement = self
            .conn
            .prepare("SELECT name FROM slots ORDER BY name")
            .map_err(sqlite)?;
        let names = statement
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(sqlite)?;
        Ok(names)
    }

    /// Opens the slot `name` with `secret` at `now`: a locked slot is not even tried; a failure
    /// counts towards its lockout (as an operator's sign-in does) and is kept for the audit.
    pub fn unlock(
        &mut self,
        name: &str,
        secret: &str,
        now: DateTime<Utc>,
    ) -> Result<Unlock, StoreError> {
        let path = self.path.clone();
        let sqlite = |e| StoreError::from_sqlite(&path, e);
        let found = self
            .conn
            .query_row(
                "SELECT memory_kib, passes, lanes, salt, nonce, sealed, failed, locked_until
                 FROM slots WHERE name = ?1",
                params![name],
                |r| {
                    Ok((
                        Sealed {
                            memory_kib: r.get(0)?,
                            passes: r.get(1)?,
                            lanes: r.get(2)?,
                            salt: r.get(3)?,
                            nonce: r.get(4)?,
                            sealed: r.get(5)?,
                        },
                        r.get::<_, i64>(6)?,
                        r.get::<_, Option<String>>(7)?,
                    ))
                },
            )
            .optional()
            .map_err(sqlite)?;
        let Some((sealed, failed, locked_until)) = found else {
            return self.unknown_slot(name, secret, now);
        };
        let state = Lockout::stored(failed, locked_until.as_deref());
        if let Attempt::Locked(until) = state.attempt(now) {
            self.record_failure(now, name, true)?;
            return Ok(Unlock::Locked { until });
        }
        if let Some(key) = key_wrap::open(&sealed, name, secret) {
            self.conn
                .execute(
                    "UPDATE slots SET failed = 0, locked_until = NULL WHERE name = ?1",
                    params![name],
                )
                .map_err(sqlite)?;
            return Ok(Unlock::Key(key));
        }
        let next = state.failed(now);
        self.conn
            .execute(
                "UPDATE slots SET failed = ?1, locked_until = ?2 WHERE name = ?3",
                params![next.failures, next.until.map(timestamp), name],
            )
            .map_err(sqlite)?;
        // A wrong password, even the one that locks the slot ("login.locked" is an attempt
        // made while it was locked), as the database's own sign-in audits it.
        self.record_failure(now, name, false)?;
        Ok(match next.until {
            Some(until) => Unlock::Locked { until },
            None => Unlock::Refused,
        })
    }

    /// A slot that does not exist (a login with no slot, or none at all): as slow as a real
    /// one, locked out after as many failures, so the answers never tell which logins have a
    /// slot. The name typed is not kept (it may be a password): its tag is.
    fn unknown_slot(
        &mut self,
        name: &str,
        secret: &str,
        now: DateTime<Utc>,
    ) -> Result<Unlock, StoreError> {
        let tag = unknown_login_tag(name);
        let stored: Option<(i64, Option<String>)> = self
            .conn
            .query_row(
                "SELECT failed, locked_until FROM unknown_slots WHERE tag = ?1",
                params![tag],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .ok();
        let state = stored.map_or_else(Lockout::default, |(failed, until)| {
            Lockout::stored(failed, until.as_deref())
        });
        if let Attempt::Locked(until) = state.attempt(now) {
            self.record_failure(now, "(unknown)", true)?;
            return Ok(Unlock::Locked { until });
        }
        let _ = key_wrap::open(decoy(), "(decoy)", secret);
        let next = state.failed(now);
        // Not counted where the file cannot be written (a backup's slots on read-only media).
        let _ = self.conn.execute(
            "INSERT INTO unknown_slots(tag, failed, locked_until) VALUES (?1, ?2, ?3)
             ON CONFLICT(tag) DO UPDATE SET failed = excluded.failed,
                locked_until = excluded.locked_until",
            params![tag, next.failures, next.until.map(timestamp)],
        );
        self.record_failure(now, "(unknown)", false)?;
        Ok(match next.until {
            Some(until) => Unlock::Locked { until },
            None => Unlock::Refused,
        })
    }

    fn record_failure(
        &mut self,
        now: DateTime<Utc>,
        slot: &str,
        locked: bool,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO failures (at, slot, locked) VALUES (?1, ?2, ?3)",
                params![timestamp(now), slot, locked],
            )
            .map(|_| ())
            .map_err(|e| StoreError::from_sqlite(&self.path, e))
    }

    /// The failed attempts not yet audited, oldest first; they are removed here, once the
    /// caller has written them into the database's audit trail.
    pub fn failures(&self) -> Result<Vec<(i64, Failure)>, StoreError> {
        let sqlite = |e| StoreError::from_sqlite(&self.path, e);
        let mut statement = self
            .conn
            .prepare("SELECT id, at, slot, locked FROM failures ORDER BY id")
            .map_err(sqlite)?;
        let rows = statement
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    Failure {
                        at: r.get(1)?,
                        slot: r.get(2)?,
                        locked: r.get(3)?,
                    },
                ))
            })
            .and_then(|rows| rows.collect())
            .map_err(sqlite)?;
        Ok(rows)
    }

    /// Forgets the failed attempts up to `last_id` (they are in the audit trail now).
    pub fn forget_failures(&mut self, last_id: i64) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM failures WHERE id <= ?1", params![last_id])
            .map(|_| ())
            .map_err(|e| StoreError::from_sqlite(&self.path, e))
    }

    /// A consistent copy of these slots as the key slots of `database` (a backup of it).
    pub fn copy_for(&self, database: &Path) -> Result<(), StoreError> {
        let target = keyring_path(database);
        let sqlite = |e| StoreError::from_sqlite(&target, e);
        let staged = side(&target, ".new");
        let _ = std::fs::remove_file(&staged);
        crate::files::create_private_file(&staged).map_err(|e| {
            StoreError::DirectoryNotWritable {
                path: staged.clone(),
                detail: e.to_string(),
            }
        })?;
        let copied = (|| {
            let mut to = Connection::open(&staged).map_err(sqlite)?;
            rusqlite::backup::Backup::new(&self.conn, &mut to)
                .and_then(|b| b.step(-1).map(|_| ()))
                .map_err(sqlite)?;
            drop(to);
            crate::platform::sync_file(&staged).map_err(|e| StoreError::DirectoryNotWritable {
                path: staged.clone(),
                detail: e.to_string(),
            })
        })();
        if let Err(error) = copied {
            let _ = std::fs::remove_file(&staged);
            return Err(error);
        }
        std::fs::rename(&staged, &target).map_err(|e| StoreError::DirectoryNotWritable {
            path: target.clone(),
            detail: e.to_string(),
        })
    }
}
