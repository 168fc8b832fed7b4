//! Opening a database: proving, without writing anything, that a file is a healthy regdesk
//! database of the kind asked for, creating one only on an absent or empty path, migrating it,
//! and the further connections (the checkpointer's, the lookup worker's) to a file so opened.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::{
    APPLICATION_ID, DEFAULT_BUSY_TIMEOUT, DatabaseKind, Keyring, OpenOptions, OpenReport, Store,
    StoreError, latest_version, schema, timestamp,
};
use crate::core::key_wrap::DbKey;

impl Store {
    /// Opens or creates a real (non-training) database at `path`.
    pub fn open(path: &Path) -> Result<(Store, OpenReport), StoreError> {
        Store::open_with(path, &OpenOptions::default())
    }

    /// Opens `path`, proving first, without writing anything, that it is a healthy regdesk
    /// database of the expected kind. Only an absent or empty path becomes a new database; a
    /// file that is refused (foreign, damaged, read-only, of another kind, newer) stays byte
    /// for byte as it was, and nothing is created beside it.
    pub fn open_with(
        path: &Path,
        options: &OpenOptions,
    ) -> Result<(Store, OpenReport), StoreError> {
        let sqlite = |e| StoreError::from_sqlite(path, e);
        let creating = match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
            Err(e) => {
                return Err(StoreError::DirectoryNotWritable {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                });
            }
            Ok(meta) if !meta.is_file() => {
                return Err(StoreError::NotAFile {
                    path: path.to_path_buf(),
                });
            }
            Ok(meta) if meta.len() == 0 => true,
            Ok(meta) => prove_ours(path, meta.len(), options)? == Proof::BeingCreated,
        };
        // A plain file is opened plain whatever key was given: a key is only ever put on a
        // file that is encrypted, or new.
        let key = options
            .key
            .clone()
            .filter(|_| creating || !has_plain_header(path));
        if creating {
            prepare_folder(path)?;
            crate::files::create_private_file(path).map_err(|e| {
                StoreError::DirectoryNotWritable {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                }
            })?;
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if creating {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags).map_err(sqlite)?;
        if let Some(key) = &key {
            apply_key(&conn, key).map_err(sqlite)?;
        }
        conn.busy_timeout(options.busy_timeout).map_err(sqlite)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            kind: options.kind,
            key,
            actor: None,
        };
        let conn = &store.conn;
        switch_to_wal(conn, options.busy_timeout).map_err(sqlite)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sqlite)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sqlite)?;
        // A changed or deleted row's old bytes are zeroed, not left in the page's free space:
        // a name corrected or anonymised does not linger in the file.
        conn.pragma_update(None, "secure_delete", "ON")
            .map_err(sqlite)?;
        if options.checkpoint_in_background {
            conn.pragma_update(None, "wal_autocheckpoint", 0)
                .map_err(sqlite)?;
        }
        let (migrated_from, created) = store.migrate(creating)?;
        if created {
            // Put the new header (application id, schema version) into the main file now,
            // where `prove_ours` reads it, rather than leaving it in the WAL until later.
            let _ = store
                .conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
        }
        store.check_kind(options.kind)?;
        Ok((
            store,
            OpenReport {
                created,
                migrated_from,
            },
        ))
    }

    /// A connection of its own for the checkpointer thread.
    pub fn open_checkpointer(&self) -> Result<Store, StoreError> {
        let store = self.another_connection(OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        store
            .conn
            .pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(|e| store.sqlite(e))?;
        Ok(store)
    }

    /// Another connection to the file this store opened (and proved ours), with its key.
    fn another_connection(&self, access: OpenFlags) -> Result<Store, StoreError> {
        let sqlite = |e| StoreError::from_sqlite(&self.path, e);
        let flags = access | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&self.path, flags).map_err(sqlite)?;
        if let Some(key) = &self.key {
            apply_key(&conn, key).map_err(sqlite)?;
        }
        conn.busy_timeout(DEFAULT_BUSY_TIMEOUT).map_err(sqlite)?;
        Ok(Store {
            conn,
            path: self.path.clone(),
            kind: self.kind,
            key: self.key.clone(),
            actor: None,
        })
    }

    /// Folds the WAL into the file when it holds more than `bytes` (PASSIVE: it waits for no
    /// reader or writer, and copies what it can). Whether it ran.
    pub fn checkpoint_if_larger(&self, bytes: u64) -> Result<bool, StoreError> {
        let mut wal = self.path.as_os_str().to_owned();
        wal.push("-wal");
        let size = std::fs::metadata(PathBuf::from(wal)).map_or(0, |m| m.len());
        if size <= bytes {
            return Ok(false);
        }
        self.conn
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            .map_err(|e| self.sqlite(e))?;
        Ok(true)
    }

    /// A second, read-only connection to the same file, for a worker thread that searches
    /// while this one writes (WAL: readers never wait for writers). The file was proven ours
    /// when this store opened it.
    pub fn open_reader(&self) -> Result<Store, StoreError> {
        self.another_connection(OpenFlags::SQLITE_OPEN_READ_ONLY)
    }

    /// Applies the missing migrations in one transaction; returns the version found before
    /// and whether this call created the database. `creating`: the path was absent or empty,
    /// so a file another program put there meanwhile must be refused, not migrated.
    fn migrate(&mut self, creating: bool) -> Result<(u32, bool), StoreError> {
        let kind = self.kind;
        let path = self.path.clone();
        let before = self.schema_version()?;
        if before == latest_version() {
            return Ok((before, false));
        }
        let mut foreign = false;
        let created = self.write(|tx| {
            // Read again under the write lock: another regdesk may have created or migrated
            // the file meanwhile, and only the one that created it says so.
            let (app_id, version, objects) = read_header(tx)?;
            if creating && version == 0 && (app_id != 0 || objects != 0) {
                foreign = true;
                return Ok(false);
            }
            let version = u32::try_from(version).unwrap_or(0);
            for (index, sql) in schema::MIGRATIONS.iter().enumerate().skip(version as usize) {
                tx.execute_batch(sql)?;
                schema::after_migration(tx, index as u32 + 1)?;
                tx.pragma_update(None, "user_version", index as u32 + 1)?;
            }
            if version == 0 {
                tx.pragma_update(None, "application_id", APPLICATION_ID)?;
                tx.execute(
                    "INSERT INTO regdesk_meta(key, value) VALUES ('kind', ?1), ('created_at', ?2)",
                    params![kind.code(), timestamp(Utc::now())],
                )?;
            }
            Ok(version == 0)
        })?;
        if foreign {
            return Err(StoreError::NotRegdesk { path });
        }
        Ok((before, created))
    }

    fn check_kind(&self, expected: DatabaseKind) -> Result<(), StoreError> {
        check_kind(&self.conn, &self.path, expected)
    }
}

/// Reads what tells a fresh file, a regdesk file and a foreign file apart. The schema version
/// is read signed: a damaged header may hold a negative one.
fn read_header(conn: &Connection) -> rusqlite::Result<(i32, i64, u32)> {
    let app_id = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let objects = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    Ok((app_id, version, objects))
}

/// The first bytes of every SQLite file.
pub(super) const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Files up to this size are fully checked (`PRAGMA quick_check`) at every open; it reads
/// every page: 3.9 ms for 10 MB, 29 ms for 60 MB (`cargo bench --bench startup`). Larger
/// files get the header and schema checks only (see the README).
pub const QUICK_CHECK_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// Puts the file in WAL mode. Changing the mode needs the file to itself, and SQLite answers
/// "busy" at once rather than waiting while other desks are opening it too: try again until
/// the busy timeout (another desk may have switched it meanwhile, which is as good).
fn switch_to_wal(conn: &Connection, timeout: Duration) -> rusqlite::Result<()> {
    let deadline = std::time::Instant::now() + timeout;
    loop {
        let result: rusqlite::Result<String> =
            conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0));
        match result {
            Ok(_) => return Ok(()),
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                ) && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(e) => return Err(e),
        }
    }
}

/// What [`prove_ours`] found in a file that may be used.
#[derive(Debug, PartialEq, Eq)]
enum Proof {
    /// A healthy regdesk database of the expected kind.
    Ours,
    /// An SQLite file with nothing in it (no schema, no application id, version 0): empty,
    /// as a regdesk creating it right now leaves it for a moment (or one that died doing
    /// it). It is set up as a new file, under the write lock.
    BeingCreated,
}

/// Proves that the non-empty file at `path` is a healthy regdesk database of the expected
/// kind, without writing to it: the header bytes are read as a plain file (a foreign file is
/// refused before SQLite opens it), the rest through a read-only connection.
fn prove_ours(path: &Path, len: u64, options: &OpenOptions) -> Result<Proof, StoreError> {
    use std::io::Read;
    let not_ours = || StoreError::NotRegdesk {
        path: path.to_path_buf(),
    };
    // With SQLite's WAL beside it the file is an SQLite database in use (another desk may be
    // writing it this very moment, so its bytes can be mid-checkpoint): the locked read-only
    // connection below decides, and creates nothing that is not there already. Otherwise the
    // header is read as plain bytes, so that SQLite never even opens a foreign file.
    let encrypted = !has_plain_header(path);
    if encrypted && !Keyring::exists(path) {
        return Err(not_ours());
    }
    if encrypted && options.key.is_none() {
        // Not plain SQLite: an encrypted regdesk database has its key slots beside it.
        return Err(StoreError::NeedsKey {
            path: path.to_path_buf(),
        });
    }
    if !in_use(path) && !encrypted {
        let mut header = [0u8; 100];
        std::fs::File::open(path)
            .and_then(|mut f| f.read_exact(&mut header))
            .map_err(|_| not_ours())?;
        let app_id = i32::from_be_bytes([header[68], header[69], header[70], header[71]]);
        // Zero: an empty database; the connection below tells.
        if app_id != APPLICATION_ID && app_id != 0 {
            return Err(not_ours());
        }
    }
    // Opening for writing (no truncation) writes nothing: it only asks whether we may.
    if let Err(e) = std::fs::OpenOptions::new().write(true).open(path) {
        return Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
            detail: e.to_string(),
        });
    }
    let unopened = !in_use(path);
    let proof = prove_through_sqlite(path, len, options);
    // Read without locks (nobody had it open), but another desk began using it meanwhile (a
    // desk creating the file writes its first page through a rollback journal, then switches
    // to WAL): what was read may be half old, half new. A second look with ordinary locking
    // creates nothing and sees a consistent file.
    let changed = std::fs::metadata(path).map_or(true, |m| m.len() != len);
    if unopened && (in_use(path) || changed) {
        return prove_through_sqlite(path, len, options);
    }
    proof
}

fn prove_through_sqlite(path: &Path, len: u64, options: &OpenOptions) -> Result<Proof, StoreError> {
    let not_ours = || StoreError::NotRegdesk {
        path: path.to_path_buf(),
    };
    let sqlite = |e| StoreError::from_sqlite(path, e);
    let conn = open_for_proof(path).map_err(sqlite)?;
    let key = options.key.as_ref().filter(|_| !has_plain_header(path));
    if let Some(key) = key {
        apply_key(&conn, key).map_err(sqlite)?;
    }
    conn.busy_timeout(options.busy_timeout).map_err(sqlite)?;
    let (app_id, version, objects) = read_header(&conn).map_err(|e| match sqlite(e) {
        // An encrypted file read with another key looks like no database at all.
        StoreError::NotRegdesk { path } if key.is_some() => StoreError::WrongKey { path },
        other => other,
    })?;
    if app_id == 0 && version == 0 && objects == 0 {
        return Ok(Proof::BeingCreated);
    }
    if app_id != APPLICATION_ID {
        return Err(not_ours());
    }
    if version < 1 {
        return Err(StoreError::BadVersion {
            path: path.to_path_buf(),
            found: version,
        });
    }
    if version > i64::from(latest_version()) {
        return Err(StoreError::NewerVersion {
            path: path.to_path_buf(),
            found: u32::try_from(version).unwrap_or(u32::MAX),
            supported: latest_version(),
        });
    }
    if len <= QUICK_CHECK_MAX_BYTES {
        let verdict: String = conn
            .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
            .map_err(sqlite)?;
        if verdict != "ok" {
            // SQLite's report spans lines ("*** in database main ***" first): one line here.
            let detail: Vec<&str> = verdict
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("***"))
                .collect();
            return Err(StoreError::Corrupt {
                path: path.to_path_buf(),
                detail: crate::i18n::printable(
                    &detail.join("; ").chars().take(160).collect::<String>(),
                ),
            });
        }
    }
    check_kind(&conn, path, options.kind)?;
    Ok(Proof::Ours)
}

/// A read-only connection that creates nothing. A closed regdesk file has no `-wal` or `-shm`
/// beside it, and even a read-only SQLite connection would create them for a WAL file: it is
/// opened `immutable` (no locks, no side files; nobody else has it open in WAL mode, or those
/// files would exist). While they exist (another desk has the file open, or one crashed),
/// nothing new is created and an ordinary read-only connection sees the WAL too.
fn open_for_proof(path: &Path) -> rusqlite::Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if in_use(path) {
        return Connection::open_with_flags(path, flags);
    }
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' | '?' | '#' => uri.push_str(&format!("%{:02X}", c as u32)),
            c => uri.push(c),
        }
    }
    uri.push_str("?immutable=1");
    Connection::open_with_flags(uri, flags | OpenFlags::SQLITE_OPEN_URI)
}

/// Whether the file starts as a plain SQLite file does (an encrypted one starts with random
/// bytes). A file too short to tell counts as plain: SQLite decides.
pub(super) fn has_plain_header(path: &Path) -> bool {
    use std::io::Read;
    let mut magic = [0u8; 16];
    match std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut magic)) {
        Ok(()) => &magic == SQLITE_MAGIC,
        Err(_) => true,
    }
}

/// Makes the folder of a new database, its owner's only (it will hold personal data).
pub fn prepare_folder(path: &Path) -> Result<(), StoreError> {
    let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return Ok(());
    };
    crate::files::create_private_dir(dir).map_err(|e| StoreError::DirectoryNotWritable {
        path: dir.to_path_buf(),
        detail: e.to_string(),
    })
}

/// Whether `path` is an encrypted regdesk database: not plain SQLite, with key slots beside.
pub fn is_encrypted_file(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.len() > 0)
        && !has_plain_header(path)
        && Keyring::exists(path)
}

/// Puts the database key on a new connection, before it reads anything.
pub(super) fn apply_key(conn: &Connection, key: &DbKey) -> rusqlite::Result<()> {
    // A raw key (x'…' in double quotes): SQLCipher uses it as it is, without deriving one
    // from a passphrase (the key slots did that with Argon2id).
    // SQLCipher writes its own warnings (a wrong key's "hmac check failed") to stderr,
    // over the desk's screen: the error comes back as a result, and is reported from there.
    conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
    conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.pragma_value()))
}

/// Whether SQLite is using the file: its `-wal`, `-shm` or rollback `-journal` is beside it
/// (a desk has it open, or one that crashed left them).
pub fn in_use(path: &Path) -> bool {
    side_file(path, "-wal") || side_file(path, "-shm") || side_file(path, "-journal")
}

/// Whether SQLite's `suffix` file (`-wal`, `-shm`, `-journal`) exists beside `path`.
fn side_file(path: &Path, suffix: &str) -> bool {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name).exists()
}

/// The kind written at creation must be one we know and the one asked for. A file with our
/// application id but no `regdesk_meta` is not ours (some other program used the id).
pub(super) fn check_kind(
    conn: &Connection,
    path: &Path,
    expected: DatabaseKind,
) -> Result<(), StoreError> {
    let sqlite = |e| StoreError::from_sqlite(path, e);
    let has_meta: bool = conn
        .query_row(
            "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'regdesk_meta'",
            [],
            |r| r.get(0),
        )
        .map_err(sqlite)?;
    if !has_meta {
        return Err(StoreError::NotRegdesk {
            path: path.to_path_buf(),
        });
    }
    let found: Option<String> = conn
        .query_row(
            "SELECT value FROM regdesk_meta WHERE key = 'kind'",
            [],
            |r| r.get(0),
        )
        .optional()
        .map_err(sqlite)?;
    let training = match found.as_deref() {
        Some("training") => true,
        Some("real") => false,
        other => {
            return Err(StoreError::UnknownKind {
                path: path.to_path_buf(),
                found: other.unwrap_or("").to_owned(),
            });
        }
    };
    if training != (expected == DatabaseKind::Training) {
        return Err(StoreError::WrongKind {
            path: path.to_path_buf(),
            training,
        });
    }
    Ok(())
}
