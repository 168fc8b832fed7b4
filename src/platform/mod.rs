//! Everything that differs between operating systems, behind one interface (as ripgrep keeps
//! its console handling in one place): how the process learns it must end, whether another
//! process still runs, making a file durable, files readable by their owner only, reading the
//! terminal, printing, and the language the system speaks. Nothing outside this module names
//! an operating system.

use std::path::Path;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as os;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as os;

pub use os::{on_ending, process_is_running, spawn_input};

/// Makes the file at `path` durable: its contents are on the disk when this returns.
pub fn sync_file(path: &Path) -> std::io::Result<()> {
    os::durable_handle(path)?.sync_all()
}

/// Makes the names in `dir` durable (a file renamed or linked into it survives a power cut),
/// where the system allows it; a failure here loses nothing already synced, so it is ignored.
pub fn sync_dir(dir: &Path) {
    os::sync_dir(dir);
}

/// `options` create a file readable and writable by its owner only, where the system sets
/// that at creation; [`narrow_to_owner`] finishes the job after creation elsewhere.
pub fn owner_only_options(options: &mut std::fs::OpenOptions) -> &mut std::fs::OpenOptions {
    os::owner_only_options(options)
}

/// `builder` creates folders only their owner can enter, where the system sets that at
/// creation.
pub fn owner_only_folders(builder: &mut std::fs::DirBuilder) -> &mut std::fs::DirBuilder {
    os::owner_only_folders(builder)
}

/// Narrows the file or folder at `path`, which regdesk has just created (never a file that was
/// someone else's), to its owner only: a mode on Unix, an access list naming the current user
/// alone on Windows.
pub fn narrow_to_owner(path: &Path) -> std::io::Result<()> {
    os::narrow_to_owner(path)
}

/// Finishes a file or folder just created through [`owner_only_options`] or
/// [`owner_only_folders`]: nothing more on Unix (the mode was set at creation, and a file
/// system without modes, a FAT memory stick, ignores it as before); on Windows its access
/// list, where the volume keeps one (FAT has none: the file is written all the same, and the
/// log says so).
pub fn created_for_owner(path: &Path) {
    os::created_for_owner(path);
}

/// Whether the file is a character device (`/dev/null`, a terminal): written as it is, never
/// replaced.
pub fn is_char_device(meta: &std::fs::Metadata) -> bool {
    os::is_char_device(meta)
}

/// Whether a write failed because its reader went away (`regdesk lookup … | head -1`): then
/// the output ends quietly.
pub fn reader_went_away(error: &std::io::Error) -> bool {
    error.kind() == std::io::ErrorKind::BrokenPipe || os::reader_went_away(error)
}

/// What became of a paper sent to the printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printed {
    /// The system's print queue took it.
    Sent,
    /// No printing command answered; the file was opened in its viewer to print from there.
    Opened,
    /// The printing command refused it (no default printer, a printer that is off).
    Failed,
    /// There is no way to print here.
    NoPrinter,
}

/// Sends the PDF at `path` to the default printer (`lp` on Unix; the file's "print" action on
/// Windows, else it is opened).
pub fn print(path: &Path) -> Printed {
    os::print(path)
}

/// The language the system's user interface is set to, if it is one of ours (Windows only:
/// elsewhere the locale variables say it).
pub fn ui_language() -> Option<crate::i18n::Lang> {
    os::ui_language()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What regdesk narrows to its owner stays its owner's to read, write and sync (on Unix
    /// mode 600; on Windows the access list names the current user).
    #[test]
    fn a_file_narrowed_to_its_owner_stays_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("paper.txt");
        std::fs::write(&path, "x").unwrap();
        narrow_to_owner(&path).unwrap();
        std::fs::write(&path, "y").unwrap();
        sync_file(&path).unwrap();
        sync_dir(dir.path());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "y");
        let folder = dir.path().join("papers");
        std::fs::create_dir(&folder).unwrap();
        narrow_to_owner(&folder).unwrap();
        std::fs::write(folder.join("a.txt"), "z").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| p.metadata().unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(&folder), 0o700);
        }
    }

    /// Crash detection: this process runs; one that has ended does not.
    #[test]
    fn a_process_that_ended_is_not_running() {
        assert!(process_is_running(std::process::id()));
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .arg("--list")
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let id = child.id();
        child.wait().unwrap();
        assert!(!process_is_running(id));
    }
}
