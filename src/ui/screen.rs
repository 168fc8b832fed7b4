//! The screens of the desk and their order on the tab bar.

/// The screens of the desk, in the order of the tab bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Intake,
    Checklist,
    Consent,
    Lookup,
}

impl Screen {
    pub const ALL: [Screen; 4] = [
        Screen::Intake,
        Screen::Checklist,
        Screen::Consent,
        Screen::Lookup,
    ];

    fn index(self) -> usize {
        Screen::ALL.iter().position(|&s| s == self).unwrap_or(0)
    }

    pub fn next(self) -> Screen {
        Screen::ALL[(self.index() + 1) % Screen::ALL.len()]
    }

    pub fn previous(self) -> Screen {
        Screen::ALL[(self.index() + Screen::ALL.len() - 1) % Screen::ALL.len()]
    }

    /// Translation key prefix of the screen (`screen.intake`).
    pub fn key(self) -> &'static str {
        match self {
            Screen::Intake => "screen.intake",
            Screen::Checklist => "screen.checklist",
            Screen::Consent => "screen.consent",
            Screen::Lookup => "screen.lookup",
        }
    }
}
