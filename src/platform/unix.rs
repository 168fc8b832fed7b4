//! Unix: signals, `kill(pid, 0)`, modes, `poll(2)` on the terminal, `lp`.

use std::path::Path;

/// Signals whose default action ends the process and that a program may catch. On any of
/// them the terminal is restored before exiting with 128 + the signal, as shells report it.
/// (In raw mode Ctrl+C is a key, not SIGINT: these come from `kill`, a shutdown, a closed
/// terminal window, a timer gone wrong.)
const ENDING_SIGNALS: &[i32] = {
    use signal_hook::consts::*;
    &[
        SIGTERM,
        SIGHUP,
        SIGINT,
        SIGQUIT,
        SIGUSR1,
        SIGUSR2,
        SIGALRM,
        SIGVTALRM,
        SIGPROF,
        SIGXCPU,
        SIGXFSZ,
        SIGIO,
        SIGSYS,
        SIGTRAP,
        #[cfg(any(target_os = "linux", target_os = "android"))]
        libc::SIGPWR,
        #[cfg(any(target_os = "linux", target_os = "android"))]
        libc::SIGSTKFLT,
    ]
};

/// From now on, a signal that ends the process runs `restore` first, then exits with 128 +
/// the signal. The password prompt of a command uses it with raw mode only (it has no full
/// screen to leave, and its standard output may be a file).
pub fn on_ending(restore: fn()) {
    let Ok(mut signals) = signal_hook::iterator::Signals::new(ENDING_SIGNALS) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            restore();
            tracing::warn!(signal, "stopped by signal");
            std::process::exit(128 + signal);
        }
    });
}

/// Whether a process with this id is running. Signal 0 only asks; EPERM means it exists but
/// belongs to someone else.
pub fn process_is_running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: kill with signal 0 sends nothing and touches no memory.
    let answer = unsafe { libc::kill(pid, 0) };
    answer == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// A read-only handle syncs a file on Unix (and works for a file its owner may only read).
pub fn durable_handle(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

pub fn sync_dir(dir: &Path) {
    let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
}

pub fn owner_only_options(options: &mut std::fs::OpenOptions) -> &mut std::fs::OpenOptions {
    use std::os::unix::fs::OpenOptionsExt;
    options.mode(0o600)
}

pub fn owner_only_folders(builder: &mut std::fs::DirBuilder) -> &mut std::fs::DirBuilder {
    use std::os::unix::fs::DirBuilderExt;
    builder.mode(0o700)
}

pub fn narrow_to_owner(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = if path.is_dir() { 0o700 } else { 0o600 };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

/// The mode was set when the file was created.
pub fn created_for_owner(_path: &Path) {}

pub fn is_char_device(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_char_device()
}

pub fn print(path: &Path) -> super::Printed {
    let printed = std::process::Command::new("lp")
        .arg(path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    match printed {
        Ok(status) if status.success() => super::Printed::Sent,
        Ok(_) => super::Printed::Failed,
        Err(_) => super::Printed::NoPrinter,
    }
}

/// EPIPE is `BrokenPipe` already.
pub fn reader_went_away(_error: &std::io::Error) -> bool {
    false
}

/// The locale variables say the language on Unix (`cli::locale_language`).
pub fn ui_language() -> Option<crate::i18n::Lang> {
    None
}

/// Starts reading the terminal on its own threads. Every event goes to `tx` wrapped by
/// `wrap`; when the terminal's input ends (the window closed), `ended` is sent. Idle, the
/// threads block in the kernel: no polling, no CPU.
pub fn spawn_input<T: Send + 'static>(
    tx: std::sync::mpsc::Sender<T>,
    wrap: fn(crate::input::Input) -> T,
    ended: T,
) -> std::io::Result<()> {
    use std::io::{IsTerminal, Read};
    use std::os::fd::AsFd;

    // The same terminal crossterm puts into raw mode: stdin when it is one, else /dev/tty.
    let tty: std::fs::File = if std::io::stdin().is_terminal() {
        std::io::stdin().as_fd().try_clone_to_owned()?.into()
    } else {
        std::fs::File::open("/dev/tty")?
    };
    let resize_tx = tx.clone();
    let mut winch = signal_hook::iterator::Signals::new([signal_hook::consts::SIGWINCH])?;
    std::thread::spawn(move || {
        for _ in winch.forever() {
            if let Ok((cols, rows)) = crossterm::terminal::size() {
                let event = crate::input::Input::Event(crossterm::event::Event::Resize(cols, rows));
                if resize_tx.send(wrap(event)).is_err() {
                    return;
                }
            }
        }
    });
    std::thread::spawn(move || {
        use std::os::fd::AsRawFd;
        let mut tty = tty;
        let fd = tty.as_raw_fd();
        let mut parser = crate::input::parser::Parser::new();
        let mut buffer = [0u8; 8192];
        loop {
            let timeout = parser
                .deadline()
                .map_or(-1, |d| i32::try_from(d.as_millis()).unwrap_or(i32::MAX));
            let mut poll = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd, its count, a timeout; poll writes only `revents`.
            let ready = unsafe { libc::poll(&mut poll, 1, timeout) };
            let mut out = Vec::new();
            match ready {
                r if r < 0 => {
                    if std::io::Error::last_os_error().kind() == std::io::ErrorKind::Interrupted {
                        continue;
                    }
                    break;
                }
                0 => parser.timeout(&mut out),
                _ => match tty.read(&mut buffer) {
                    Ok(0) => break,
                    Ok(n) => parser.feed(&buffer[..n], &mut out),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                    Err(_) => break,
                },
            }
            for input in out {
                if tx.send(wrap(input)).is_err() {
                    return;
                }
            }
        }
        let _ = tx.send(ended);
    });
    Ok(())
}
