//! Where regdesk keeps its files: the database and, beside it, the log.

use std::path::{Path, PathBuf};

use directories::ProjectDirs;

pub const DATABASE_FILE: &str = "regdesk.sqlite";
pub const TRAINING_DATABASE_FILE: &str = "regdesk-training.sqlite";
pub const LOG_FILE: &str = "regdesk.log";

/// The user's data folder for regdesk (`~/.local/share/regdesk` on Linux,
/// `%APPDATA%\regdesk\data` on Windows); the working folder if the system has none.
pub fn data_dir() -> PathBuf {
    ProjectDirs::from("kz", "regdesk", "regdesk")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The database to open: the one given, else the default real or training file.
pub fn database_path(given: Option<&Path>, training: bool) -> PathBuf {
    match given {
        Some(path) => path.to_path_buf(),
        None if training => data_dir().join(TRAINING_DATABASE_FILE),
        None => data_dir().join(DATABASE_FILE),
    }
}

/// Papers the desk writes (sheets, receipts) go to a folder beside the database.
pub const DOCUMENTS_DIR: &str = "regdesk-documents";

pub fn documents_dir(database: &Path) -> PathBuf {
    database
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(DOCUMENTS_DIR)
}

/// The log file lives beside the database it belongs to.
pub fn log_path(database: &Path) -> PathBuf {
    database
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(LOG_FILE)
}

/// A path as the operator should read it: the home folder shortened to `~`, control and
/// bidi characters escaped (a name with a newline or a right-to-left override cannot fake
/// or hide what the line says).
pub fn display_path(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if let Some(home) = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf())
        && let Ok(rest) = absolute.strip_prefix(&home)
    {
        return crate::i18n::printable(&Path::new("~").join(rest).display().to_string());
    }
    crate::i18n::printable(&absolute.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_sits_beside_the_database() {
        assert_eq!(
            log_path(Path::new("/x/y/db.sqlite")),
            PathBuf::from("/x/y/regdesk.log")
        );
        assert_eq!(
            log_path(Path::new("db.sqlite")),
            PathBuf::from("./regdesk.log")
        );
    }

    #[test]
    fn control_and_bidi_characters_in_paths_are_escaped() {
        let shown = display_path(Path::new("/tmp/a\nb\u{202E}gpj.sqlite"));
        // The separator is the system's (`\` on Windows, where the path also gets a drive).
        let expected = format!(
            "tmp{}a\\u{{000a}}b\\u{{202e}}gpj.sqlite",
            std::path::MAIN_SEPARATOR
        );
        assert!(shown.ends_with(&expected), "{shown}");
        assert!(!shown.contains('\n') && !shown.contains('\u{202E}'));
    }

    #[test]
    fn training_uses_its_own_default_file() {
        assert_ne!(database_path(None, true), database_path(None, false));
        assert_eq!(
            database_path(Some(Path::new("a.db")), true),
            PathBuf::from("a.db")
        );
    }
}
