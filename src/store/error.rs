//! What can go wrong with the database, in terms the operator can act on. Each error has a
//! translation key; its English `Display` is for the log file.

use std::fmt;
use std::path::PathBuf;

use rusqlite::ErrorCode;

#[derive(Debug)]
pub enum StoreError {
    /// The folder for the database cannot be created or written.
    DirectoryNotWritable { path: PathBuf, detail: String },
    /// The file exists but is not a regdesk database (another program's, or not SQLite at all).
    NotRegdesk { path: PathBuf },
    /// The path is a folder, a device, a pipe: not a file.
    NotAFile { path: PathBuf },
    /// A regdesk database we may not write to.
    ReadOnly { path: PathBuf, detail: String },
    /// The schema version in the header cannot be one regdesk wrote (0 or negative).
    BadVersion { path: PathBuf, found: i64 },
    /// The kind marker is neither real nor training.
    UnknownKind { path: PathBuf, found: String },
    /// The file was written by a newer regdesk whose schema this build does not know.
    NewerVersion {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    /// Another program holds a lock longer than the busy timeout.
    Locked { path: PathBuf },
    /// SQLite reports damage in the file.
    Corrupt { path: PathBuf, detail: String },
    /// A training database opened as a real one, or the other way round.
    WrongKind { path: PathBuf, training: bool },
    /// A backup or restore would write over a file that is already there.
    TargetExists { path: PathBuf },
    /// A restore would replace a database that a desk has open.
    InUse { path: PathBuf },
    /// The file is encrypted, and no key was given for it.
    NeedsKey { path: PathBuf },
    /// The key opened from its slots does not open the file.
    WrongKey { path: PathBuf },
    /// Not plain SQLite, and no key slots beside it.
    NoKeySlots { path: PathBuf },
    /// The acting account's role does not allow this (`what`: the permission's catalog key).
    NotPermitted { path: PathBuf, what: &'static str },
    /// The disk is full, or failed a read or write: nothing was changed.
    Disk { path: PathBuf, detail: String },
    /// A restore of a database onto itself.
    SameFile { path: PathBuf },
    /// A plain backup would replace an encrypted database (it would decrypt it).
    PlainOverEncrypted { path: PathBuf },
    /// Anything else SQLite reports.
    Sqlite { path: PathBuf, detail: String },
}

impl StoreError {
    pub(crate) fn from_sqlite(path: &std::path::Path, error: rusqlite::Error) -> StoreError {
        let path = path.to_path_buf();
        // One line, and short: SQLite may quote whole statements in its messages.
        // A damaged file's names can hold anything: escaped, so the message stays one line.
        let detail = crate::i18n::printable(
            &error
                .to_string()
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(160)
                .collect::<String>(),
        );
        match error.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                StoreError::Locked { path }
            }
            Some(ErrorCode::NotADatabase) => StoreError::NotRegdesk { path },
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt { path, detail },
            Some(ErrorCode::DiskFull | ErrorCode::SystemIoFailure) => {
                StoreError::Disk { path, detail }
            }
            Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly | ErrorCode::PermissionDenied) => {
                StoreError::DirectoryNotWritable { path, detail }
            }
            _ => StoreError::Sqlite { path, detail },
        }
    }

    /// Translation key of the message (see `assets/i18n`), with `{path}` and the other
    /// placeholders given by [`StoreError::message_args`].
    pub fn message_key(&self) -> &'static str {
        match self {
            StoreError::DirectoryNotWritable { .. } => "db.error.not_writable",
            StoreError::NotRegdesk { .. } => "db.error.not_regdesk",
            StoreError::NotAFile { .. } => "db.error.not_a_file",
            StoreError::ReadOnly { .. } => "db.error.read_only",
            StoreError::BadVersion { .. } => "db.error.bad_version",
            StoreError::UnknownKind { .. } => "db.error.unknown_kind",
            StoreError::NewerVersion { .. } => "db.error.newer",
            StoreError::Locked { .. } => "db.error.locked",
            StoreError::Corrupt { .. } => "db.error.corrupt",
            StoreError::WrongKind { training: true, .. } => "db.error.is_training",
            StoreError::WrongKind {
                training: false, ..
            } => "db.error.is_real",
            StoreError::Sqlite { .. } => "db.error.unexpected",
            StoreError::TargetExists { .. } => "db.error.target_exists",
            StoreError::InUse { .. } => "db.error.in_use",
            StoreError::NeedsKey { .. } => "db.error.needs_key",
            StoreError::WrongKey { .. } => "db.error.wrong_key",
            StoreError::NoKeySlots { .. } => "db.error.no_key_slots",
            StoreError::NotPermitted { .. } => "db.error.not_permitted",
            StoreError::Disk { .. } => "db.error.disk",
            StoreError::SameFile { .. } => "db.error.same_file",
            StoreError::PlainOverEncrypted { .. } => "db.error.plain_over_encrypted",
        }
    }

    /// As a message for the screens, its arguments filled in; the permission is named in
    /// the reader's words.
    pub fn message(&self) -> crate::i18n::Message {
        self.message_args().into_iter().fold(
            crate::i18n::Message::new(self.message_key()),
            |m, (k, v)| {
                if k == "what" {
                    m.arg(k, "").with_arg_key(k, &v)
                } else {
                    m.arg(k, v)
                }
            },
        )
    }

    pub fn message_args(&self) -> Vec<(&'static str, String)> {
        let path = |p: &PathBuf| ("path", crate::i18n::printable(&p.display().to_string()));
        match self {
            StoreError::DirectoryNotWritable { path: p, detail }
            | StoreError::ReadOnly { path: p, detail }
            | StoreError::Corrupt { path: p, detail }
            | StoreError::Disk { path: p, detail }
            | StoreError::Sqlite { path: p, detail } => vec![path(p), ("detail", detail.clone())],
            StoreError::NotPermitted { path: p, what } => {
                vec![path(p), ("what", (*what).to_owned())]
            }
            StoreError::NewerVersion {
                path: p,
                found,
                supported,
            } => {
                vec![
                    path(p),
                    ("found", found.to_string()),
                    ("supported", supported.to_string()),
                ]
            }
            StoreError::BadVersion { path: p, found } => {
                vec![path(p), ("found", found.to_string())]
            }
            StoreError::UnknownKind { path: p, found } => {
                vec![path(p), ("found", crate::i18n::printable(found))]
            }
            StoreError::NotRegdesk { path: p }
            | StoreError::NotAFile { path: p }
            | StoreError::Locked { path: p }
            | StoreError::TargetExists { path: p }
            | StoreError::InUse { path: p }
            | StoreError::NeedsKey { path: p }
            | StoreError::WrongKey { path: p }
            | StoreError::NoKeySlots { path: p }
            | StoreError::SameFile { path: p }
            | StoreError::PlainOverEncrypted { path: p }
            | StoreError::WrongKind { path: p, .. } => vec![path(p)],
        }
    }

    /// The message in the operator's language.
    pub fn translated(&self, tr: &crate::i18n::Tr) -> String {
        self.message().text(tr)
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.translated(&crate::i18n::Tr::new(crate::i18n::Lang::En))
            .fmt(f)
    }
}

impl std::error::Error for StoreError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A full or failing disk is said as such, with what to do, not as "disk I/O error".
    #[test]
    fn a_full_disk_is_said_so() {
        for code in [rusqlite::ffi::SQLITE_FULL, rusqlite::ffi::SQLITE_IOERR] {
            let error = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None);
            let error = StoreError::from_sqlite(std::path::Path::new("/data/desk.sqlite"), error);
            assert!(matches!(error, StoreError::Disk { .. }), "{error:?}");
            let text = error.to_string();
            assert!(
                text.contains("full") && text.contains("free some space"),
                "{text}"
            );
        }
    }
}
