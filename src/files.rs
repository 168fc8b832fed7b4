//! Files that hold personal data (the database and its side files, the log, papers, reports,
//! backups) are created readable by their owner only, in folders only the owner can enter.

/// Creates the documents folder (and its parents), open to its owner only where it is new:
/// the papers' names carry application numbers.
pub fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    let existed = dir.is_dir();
    let mut builder = std::fs::DirBuilder::new();
    crate::platform::owner_only_folders(builder.recursive(true)).create(dir)?;
    if !existed {
        crate::platform::created_for_owner(dir);
    }
    Ok(())
}

/// Writes a paper to `path`, readable by its owner only (papers carry personal data), and
/// makes sure it is on the disk before saying so.
pub fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    let mut file = crate::platform::owner_only_options(&mut options).open(path)?;
    // Narrowed before the first byte of personal data is written into it.
    crate::platform::created_for_owner(path);
    file.write_all(bytes)?;
    file.sync_all()
}

/// Why [`write_new`] did not write.
#[derive(Debug)]
pub enum WriteRefused {
    /// A file is there, and replacing it was not asked for (`--force`).
    Exists,
    /// The path is a symbolic link: regdesk never writes through one (its target could be
    /// anything, anywhere).
    Link,
    /// The file system said no.
    Io(std::io::Error),
}

impl From<std::io::Error> for WriteRefused {
    fn from(e: std::io::Error) -> Self {
        WriteRefused::Io(e)
    }
}

/// Writes what a command produces (a paper, a report) to `path`: readable by its owner only
/// whatever was there before, through a temporary file beside it that is synced and then put
/// in place whole, so a reader never sees half of it; never through a symbolic link; over an
/// existing file only with `replace`. A character device (`/dev/null`, a terminal) is written
/// as it is.
pub fn write_new(path: &std::path::Path, bytes: &[u8], replace: bool) -> Result<(), WriteRefused> {
    use std::io::Write;
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => return Err(WriteRefused::Link),
        Ok(meta) if crate::platform::is_char_device(&meta) => {
            let mut device = std::fs::OpenOptions::new().write(true).open(path)?;
            device.write_all(bytes)?;
            return Ok(device.flush()?);
        }
        Ok(meta) if meta.is_file() && !replace => return Err(WriteRefused::Exists),
        _ => {}
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(
        ".{}.{}.tmp",
        name.unwrap_or_default(),
        std::process::id()
    ));
    let written = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        let mut file = crate::platform::owner_only_options(&mut options).open(&temp)?;
        crate::platform::created_for_owner(&temp);
        file.write_all(bytes)?;
        file.sync_all()?;
        if replace {
            return std::fs::rename(&temp, path);
        }
        publish(&temp, path)
    })();
    let _ = std::fs::remove_file(&temp);
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(WriteRefused::Exists),
        Err(e) => Err(WriteRefused::Io(e)),
    }
}

/// Puts the finished file `temp` in place as `target`, whole, never over a file that is
/// there (an empty one, as a path given for a new file may be, is replaced): an
/// `AlreadyExists` error then. The folder is synced, so the name survives a power cut.
pub fn publish(temp: &std::path::Path, target: &std::path::Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(target).is_ok_and(|m| m.is_file() && m.len() == 0) {
        std::fs::remove_file(target)?;
    }
    // A hard link fails when the name is taken, where a rename would replace the file.
    match std::fs::hard_link(temp, target) {
        Ok(()) => std::fs::remove_file(temp)?,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(e),
        // A file system without hard links: the name was free a moment ago.
        Err(_) => std::fs::rename(temp, target)?,
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::platform::sync_dir(dir);
    }
    Ok(())
}

/// Creates `path` as an empty file readable by its owner only, unless it exists (an empty file
/// given to become the database is narrowed to its owner too). SQLite then creates the `-wal`
/// and `-shm` beside it with the same permissions.
pub fn create_private_file(path: &std::path::Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true);
    let file = crate::platform::owner_only_options(&mut options).open(path)?;
    let empty = file.metadata()?.len() == 0;
    drop(file);
    if empty {
        crate::platform::narrow_to_owner(path)?;
    }
    Ok(())
}
