//! Terminal input: the bytes the terminal sends, turned into key, paste and resize events on
//! a channel the event loop blocks on. [`parser`] is pure; the reader thread here owns the
//! terminal's input and the clock of its deadlines (a lone ESC, a paste that falls silent).

pub mod parser;

pub use parser::{Input, PasteCut};

use std::sync::mpsc::Sender;

/// Starts reading the terminal on its own threads. Every event goes to `tx` wrapped by
/// `wrap`; when the terminal's input ends (the window closed), `ended` is sent. Idle, the
/// threads block in the kernel: no polling, no CPU.
#[cfg(unix)]
pub fn spawn<T: Send + 'static>(
    tx: Sender<T>,
    wrap: fn(Input) -> T,
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
                let event = Input::Event(crossterm::event::Event::Resize(cols, rows));
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
        let mut parser = parser::Parser::new();
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

/// Elsewhere crossterm reads the console (which has no escape sequences to get stuck in).
#[cfg(not(unix))]
pub fn spawn<T: Send + 'static>(
    tx: Sender<T>,
    wrap: fn(Input) -> T,
    ended: T,
) -> std::io::Result<()> {
    std::thread::spawn(move || {
        while let Ok(event) = crossterm::event::read() {
            if tx.send(wrap(Input::Event(event))).is_err() {
                return;
            }
        }
        let _ = tx.send(ended);
    });
    Ok(())
}
