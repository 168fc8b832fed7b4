//! Backups while desks keep working, and restoring one. A backup is the SQLite backup API's
//! copy of the whole file in one read transaction (a consistent state: WAL readers never stop
//! writers), into a new file readable by its owner only, checked before it is reported. A
//! restore checks the backup first, copies it beside the database and renames it over, so a
//! power cut leaves either the old file or the restored one, never half of each.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::keyring::Keyring;
use super::{OpenOptions, Store, StoreError};
use crate::core::key_wrap::DbKey;

/// What a finished backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupDone {
    pub pages: i64,
    /// The audit chain's last row and hash inside the copy.
    pub anchor: Option<(i64, String)>,
}

/// The name of a file, for an audit row (its folder may name a person's home).
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn side(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    std::path::PathBuf::from(name)
}

/// Copies `from` (an open connection) into the new file `to`, whole, in one step; with `key`
/// (the source's: SQLCipher copies pages only between files of one key) encrypted like it.
fn copy(from: &Connection, to: &Path, key: Option<&DbKey>) -> Result<i64, StoreError> {
    let sqlite = |e| StoreError::from_sqlite(to, e);
    crate::files::create_private_file(to).map_err(|e| StoreError::DirectoryNotWritable {
        path: to.to_path_buf(),
        detail: e.to_string(),
    })?;
    let mut target = Connection::open(to).map_err(sqlite)?;
    if let Some(key) = key {
        super::apply_key(&target, key).map_err(sqlite)?;
    }
    {
        let backup = rusqlite::backup::Backup::new(from, &mut target).map_err(sqlite)?;
        // All pages in one step: one read transaction, so one consistent state of the file.
        backup.step(-1).map_err(sqlite)?;
    }
    // A self-contained file: no WAL beside it to lose on the way to another disk.
    target
        .query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))
        .map_err(sqlite)?;
    let pages: i64 = target
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .map_err(sqlite)?;
    drop(target);
    crate::platform::sync_file(to).map_err(|e| StoreError::DirectoryNotWritable {
        path: to.to_path_buf(),
        detail: e.to_string(),
    })?;
    Ok(pages)
}

/// Moves the finished `partial` to `target`, never over a file that appeared there meanwhile.
fn put_in_place(partial: &Path, target: &Path) -> Result<(), StoreError> {
    crate::files::publish(partial, target).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => StoreError::TargetExists {
            path: target.to_path_buf(),
        },
        _ => StoreError::DirectoryNotWritable {
            path: target.to_path_buf(),
            detail: e.to_string(),
        },
    })
}

/// Reads a backup without writing to it: every page checked, and it must be a regdesk
/// database of the kind expected.
pub fn check_backup(path: &Path, options: &OpenOptions) -> Result<(), StoreError> {
    let sqlite = |e| StoreError::from_sqlite(path, e);
    if !path.is_file() {
        return Err(StoreError::NotAFile {
            path: path.to_path_buf(),
        });
    }
    let conn = open_read_only(path, options.key.as_ref())?;
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| match sqlite(e) {
            StoreError::NotRegdesk { path } if options.key.is_some() => {
                StoreError::WrongKey { path }
            }
            other => other,
        })?;
    if app_id != super::APPLICATION_ID {
        return Err(StoreError::NotRegdesk {
            path: path.to_path_buf(),
        });
    }
    let verdict: String = conn
        .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
        .map_err(sqlite)?;
    if verdict != "ok" {
        return Err(StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: crate::i18n::printable(&verdict.chars().take(160).collect::<String>()),
        });
    }
    super::check_kind(&conn, path, options.kind)
}

/// A read-only connection to a backup, keyed when it is encrypted.
fn open_read_only(path: &Path, key: Option<&DbKey>) -> Result<Connection, StoreError> {
    let sqlite = |e| StoreError::from_sqlite(path, e);
    let conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(sqlite)?;
    if let Some(key) = key.filter(|_| !super::has_plain_header(path)) {
        super::apply_key(&conn, key).map_err(sqlite)?;
    }
    Ok(conn)
}

impl Store {
    /// Writes a consistent copy of the open database to `target`, which must not exist (or be
    /// empty), checks it, and audits it here (with the file's name only).
    pub fn backup_to(&mut self, target: &Path) -> Result<BackupDone, StoreError> {
        self.require(crate::core::Permission::Backup)?;
        if std::fs::metadata(target).is_ok_and(|m| m.len() > 0) {
            return Err(StoreError::TargetExists {
                path: target.to_path_buf(),
            });
        }
        // Nor over key slots already there (another backup's, say).
        let slots = super::keyring_path(target);
        if self.key.is_some() && std::fs::metadata(&slots).is_ok_and(|m| m.len() > 0) {
            return Err(StoreError::TargetExists { path: slots });
        }
        // Written beside and put in place whole: a backup killed half-way leaves no file
        // under the name the administrator will later trust.
        let partial = side(target, ".partial");
        let _ = std::fs::remove_file(&partial);
        let options = OpenOptions {
            kind: self.kind,
            key: self.key.clone(),
            ..OpenOptions::default()
        };
        let written = copy(&self.conn, &partial, self.key.as_ref())
            .and_then(|pages| check_backup(&partial, &options).map(|_| pages))
            .and_then(|pages| put_in_place(&partial, target).map(|_| pages));
        let pages = match written {
            Ok(pages) => pages,
            Err(error) => {
                let _ = std::fs::remove_file(&partial);
                return Err(error);
            }
        };
        // An encrypted backup takes its key slots along: the same passwords open it.
        if self.key.is_some() {
            Keyring::open(&self.path)?.copy_for(target)?;
        }
        let anchor = open_read_only(target, self.key.as_ref())
            .ok()
            .and_then(|c| {
                c.query_row(
                    "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
                    [],
                    |r| {
                        Ok((
                            r.get(0)?,
                            r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                        ))
                    },
                )
                .ok()
            });
        let details = serde_json::json!({ "file": file_name(target), "pages": pages }).to_string();
        self.append_audit(None, "database.backup", None, &details)?;
        Ok(BackupDone { pages, anchor })
    }
}

/// Who restores, and what the database being replaced held: the restored database's audit
/// row names both, so the gap between the two chains is on the record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RestoreBy {
    /// The administrator's login (their id may differ in the restored database).
    pub login: Option<String>,
    /// The replaced database's audit chain end: its last row and hash.
    pub replaced_chain: Option<(i64, String)>,
}

/// A finished restore.
#[derive(Debug)]
pub struct Restored {
    pub store: Store,
    /// Where the replaced database was kept (never deleted), with its key slots beside it.
    pub kept: Option<std::path::PathBuf>,
}

/// The same file under two names (a link, `./` in front)?
pub fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Keeps the database `to` (and its key slots) aside under a new name, as it is: a hard link
/// where the file system has them (the file stays in place until the rename over it), else a
/// synced copy.
fn keep_aside(to: &Path) -> Result<std::path::PathBuf, StoreError> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let mut kept = side(to, &format!(".replaced-{stamp}"));
    let mut n = 1;
    while std::fs::symlink_metadata(&kept).is_ok() {
        n += 1;
        kept = side(to, &format!(".replaced-{stamp}-{n}"));
    }
    let failed = |e: std::io::Error| StoreError::DirectoryNotWritable {
        path: kept.clone(),
        detail: e.to_string(),
    };
    let link_or_copy = |from: &Path, into: &Path| -> std::io::Result<()> {
        if std::fs::hard_link(from, into).is_err() {
            crate::files::create_private_file(into)?;
            std::fs::copy(from, into)?;
            crate::platform::sync_file(into)?;
        }
        Ok(())
    };
    link_or_copy(to, &kept).map_err(failed)?;
    let slots = super::keyring_path(to);
    if slots.is_file() {
        link_or_copy(&slots, &super::keyring_path(&kept)).map_err(failed)?;
    }
    Ok(kept)
}

/// Puts the backup `from` in place of the database `to`: the backup is checked first; an
/// existing database is replaced only with `replace`, never while a desk has it open, never
/// by a plain backup when it is encrypted, and it is kept aside (`.replaced-TIME`), never
/// deleted. The copy is made beside `to` and renamed over it. The restored database is opened
/// (and migrated if it is older) and the restore audited in it, with who did it and where
/// the replaced chain ended.
pub fn restore(
    from: &Path,
    to: &Path,
    options: &OpenOptions,
    replace: bool,
    by: &RestoreBy,
) -> Result<Restored, StoreError> {
    if same_file(from, to) {
        return Err(StoreError::SameFile {
            path: from.to_path_buf(),
        });
    }
    check_backup(from, options)?;
    let exists = std::fs::metadata(to).is_ok_and(|m| m.len() > 0);
    if exists && !replace {
        return Err(StoreError::TargetExists {
            path: to.to_path_buf(),
        });
    }
    if super::in_use(to) {
        return Err(StoreError::InUse {
            path: to.to_path_buf(),
        });
    }
    let plain_backup = super::has_plain_header(from);
    if exists && plain_backup && super::is_encrypted_file(to) {
        return Err(StoreError::PlainOverEncrypted {
            path: to.to_path_buf(),
        });
    }
    let staging = side(to, ".restoring");
    let _ = std::fs::remove_file(&staging);
    let key = options.key.as_ref().filter(|_| !plain_backup);
    let source = open_read_only(from, key)?;
    let copied = copy(&source, &staging, key);
    drop(source);
    if let Err(error) = copied {
        let _ = std::fs::remove_file(&staging);
        return Err(error);
    }
    let kept = if exists {
        match keep_aside(to) {
            Ok(kept) => Some(kept),
            Err(error) => {
                let _ = std::fs::remove_file(&staging);
                return Err(error);
            }
        }
    } else {
        None
    };
    // The backup's key slots go first: until the rename below the old file is in place, and
    // the slots of an encrypted backup open it (with the passwords as they were then). A
    // plain backup takes no slots, and leaves none beside it that would not open it.
    let slots = if key.is_some() {
        Keyring::open(from).and_then(|ring| ring.copy_for(to))
    } else {
        match std::fs::remove_file(super::keyring_path(to)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(StoreError::DirectoryNotWritable {
                    path: super::keyring_path(to),
                    detail: e.to_string(),
                })
            }
            _ => Ok(()),
        }
    };
    if let Err(error) = slots {
        let _ = std::fs::remove_file(&staging);
        return Err(error);
    }
    std::fs::rename(&staging, to).map_err(|e| StoreError::DirectoryNotWritable {
        path: to.to_path_buf(),
        detail: e.to_string(),
    })?;
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::platform::sync_dir(dir);
    }
    let (mut store, _) = Store::open_with(to, options)?;
    let operator = match &by.login {
        Some(login) => store
            .operators()?
            .into_iter()
            .find(|op| &op.login == login)
            .map(|op| op.id),
        None => None,
    };
    let details = serde_json::json!({
        "from": file_name(from),
        "replaced": exists,
        "kept": kept.as_deref().map(file_name),
        "by": by.login,
        "replaced_chain": by.replaced_chain.as_ref().map(|(id, hash)| {
            serde_json::json!({ "id": id, "hash": hash })
        }),
    })
    .to_string();
    store.append_audit(operator, "database.restore", None, &details)?;
    store.set_actor(operator);
    Ok(Restored { store, kept })
}
