//! Logging to a file beside the database, never to the terminal (it would tear the screen),
//! and only once the database is open: a refused open writes nothing anywhere.
//! What is logged is technical: events, timings, error kinds. Never names, IINs or addresses;
//! code that must refer to a person logs `Iin::masked()` or a row id.

use std::fs::OpenOptions;
use std::path::Path;
use std::sync::Mutex;

use tracing::level_filters::LevelFilter;

/// Starts logging to `path` (appending). Level from `REGDESK_LOG` (error, warn, info, debug,
/// trace; default info). A log that cannot be opened is not a reason to keep the desk closed:
/// the error is returned for the caller to mention, and regdesk runs without a log.
pub fn init(path: &Path) -> std::io::Result<()> {
    let new = !path.exists();
    let mut options = OpenOptions::new();
    options.create(true).append(true);
    // The log holds no personal data, but what it says of the desk is the owner's only.
    let file = crate::platform::owner_only_options(&mut options).open(path)?;
    if new {
        crate::platform::created_for_owner(path);
    }
    let level = std::env::var("REGDESK_LOG")
        .ok()
        .and_then(|v| v.parse::<LevelFilter>().ok())
        .unwrap_or(LevelFilter::INFO);
    // A log that cannot be written (a full disk) must never reach the screen: the fmt layer
    // would otherwise print "Unable to write an event" over the desk.
    let subscriber = tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_target(false)
        .with_max_level(level)
        .log_internal_errors(false)
        .finish();
    // Only the first call in a process installs a subscriber (tests may call twice).
    let _ = tracing::subscriber::set_global_default(subscriber);
    Ok(())
}
