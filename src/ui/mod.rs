//! The user interface as plain data: [`AppState`] holds what is shown, [`AppState::update`]
//! turns an input into a new state plus [`Command`]s for the effects layer, and [`view`] draws
//! a state. Nothing here does IO, so all of it is tested without a terminal.

pub mod help;
pub mod keymap;
pub mod screens;
pub mod text;
pub mod view;

use crossterm::event::{Event, KeyEvent, KeyEventKind};

use crate::i18n::{Lang, Message, Tr};
use keymap::{Action, Context};

pub use view::view;

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

/// What the session is connected to, shown in the title bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// The database file as the operator should see it (home folder shortened to `~`).
    pub database: String,
    pub operator: Option<String>,
    pub training: bool,
    /// The rule set in use, "id version".
    pub rules: String,
}

/// Everything the screen shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppState {
    pub lang: Lang,
    pub screen: Screen,
    pub help: Option<HelpState>,
    /// A one-line message for the operator; kept as a key and arguments, so it is shown in
    /// whatever language is active when it is drawn.
    pub notice: Option<Message>,
    pub session: SessionInfo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HelpState {
    pub scroll: u16,
}

/// Inputs to [`AppState::update`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize,
}

impl Msg {
    /// The message for a terminal event; `None` for events regdesk ignores (focus, mouse,
    /// key releases that Windows terminals send).
    pub fn from_event(event: Event) -> Option<Msg> {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => Some(Msg::Key(key)),
            Event::Paste(text) => Some(Msg::Paste(text)),
            Event::Resize(..) => Some(Msg::Resize),
            _ => None,
        }
    }
}

/// Side effects the state asks for; run by `app`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Quit,
    /// The language changed; the effects layer records it.
    LanguageChanged(Lang),
    /// Read the rule files again; a set with errors leaves the current one in use.
    ReloadRules,
}

/// What an update did: whether the screen must be drawn again, and what to run.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub redraw: bool,
    pub commands: Vec<Command>,
}

impl Outcome {
    fn redraw() -> Outcome {
        Outcome {
            redraw: true,
            commands: Vec::new(),
        }
    }

    fn unchanged() -> Outcome {
        Outcome::default()
    }

    fn command(command: Command) -> Outcome {
        Outcome {
            redraw: true,
            commands: vec![command],
        }
    }
}

/// Lines the help overlay moves on PageUp/PageDown.
const HELP_PAGE: u16 = 10;

impl AppState {
    pub fn new(lang: Lang, session: SessionInfo) -> AppState {
        AppState {
            lang,
            screen: Screen::Intake,
            help: None,
            notice: None,
            session,
        }
    }

    /// Shows a one-line message to the operator.
    pub fn show_notice(&mut self, message: Message) {
        self.notice = Some(message);
    }

    pub fn tr(&self) -> Tr {
        Tr::new(self.lang)
    }

    pub fn context(&self) -> Context {
        if self.help.is_some() {
            Context::Help
        } else {
            Context::Main
        }
    }

    pub fn update(&mut self, msg: Msg) -> Outcome {
        match msg {
            Msg::Resize => Outcome::redraw(),
            // No screen takes text yet; a paste must simply do no harm.
            Msg::Paste(_) => Outcome::unchanged(),
            Msg::Key(key) => match keymap::action_for(&key, self.context()) {
                Some(action) => self.apply(action),
                None => Outcome::unchanged(),
            },
        }
    }

    fn apply(&mut self, action: Action) -> Outcome {
        match action {
            Action::Quit => Outcome::command(Command::Quit),
            Action::Help => {
                self.help = Some(HelpState::default());
                Outcome::redraw()
            }
            Action::CloseOverlay => {
                self.help = None;
                Outcome::redraw()
            }
            Action::GoTo(screen) => self.go_to(screen),
            Action::NextScreen => self.go_to(self.screen.next()),
            Action::PreviousScreen => self.go_to(self.screen.previous()),
            Action::SwitchLanguage => {
                self.lang = self.lang.next();
                self.show_notice(Message::new("language.changed"));
                Outcome::command(Command::LanguageChanged(self.lang))
            }
            Action::ReloadRules => Outcome::command(Command::ReloadRules),
            Action::ScrollUp => self.scroll_help(|s| s.saturating_sub(1)),
            Action::ScrollDown => self.scroll_help(|s| s.saturating_add(1)),
            Action::PageUp => self.scroll_help(|s| s.saturating_sub(HELP_PAGE)),
            Action::PageDown => self.scroll_help(|s| s.saturating_add(HELP_PAGE)),
        }
    }

    fn go_to(&mut self, screen: Screen) -> Outcome {
        if self.screen == screen {
            return Outcome::unchanged();
        }
        self.screen = screen;
        self.notice = None;
        Outcome::redraw()
    }

    /// Scrolls help; the view clamps the offset to the content, so any value is safe here.
    fn scroll_help(&mut self, change: impl FnOnce(u16) -> u16) -> Outcome {
        let Some(help) = self.help.as_mut() else {
            return Outcome::unchanged();
        };
        let scroll = change(help.scroll).min(help::line_count());
        if scroll == help.scroll {
            return Outcome::unchanged();
        }
        help.scroll = scroll;
        Outcome::redraw()
    }
}

#[cfg(test)]
mod tests;
