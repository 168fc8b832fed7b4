//! Entering and leaving the full-screen terminal. Leaving is guaranteed on every exit path:
//! a normal return (the [`TerminalSession`] guard), a panic (the hook installed here runs
//! before color-eyre's report, so the report lands on a restored screen), and every catchable
//! signal that ends a process (a watcher thread restores, then exits).

use std::io::{self, Stdout, stdout};

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Tui = Terminal<CrosstermBackend<Stdout>>;

/// Puts the terminal back as the shell expects it. Safe to call more than once.
pub fn restore() {
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

/// Owns the full-screen terminal; dropping it restores the terminal.
pub struct TerminalSession {
    pub terminal: Tui,
}

impl TerminalSession {
    pub fn enter() -> io::Result<TerminalSession> {
        install_panic_hook();
        install_signal_watcher();
        enable_raw_mode()?;
        let entered = execute!(stdout(), EnterAlternateScreen, EnableBracketedPaste)
            .and_then(|_| Terminal::new(CrosstermBackend::new(stdout())));
        match entered {
            Ok(terminal) => Ok(TerminalSession { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }
}

impl Drop for TerminalSession {
    fn drop(&mut self) {
        restore();
    }
}

fn install_panic_hook() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        tracing::error!("panic: {info}");
        report(info);
    }));
}

fn install_signal_watcher() {
    // Every save is its own committed transaction, so stopping here loses nothing saved; the
    // session stays marked open, so the next start says it did not end cleanly.
    crate::platform::on_ending(restore);
}
