//! The user interface as plain data: [`AppState`] holds what is shown, [`AppState::update`]
//! turns an input into a new state plus [`Command`]s for the effects layer, and [`view`] draws
//! a state. Nothing here does IO, so all of it is tested without a terminal.

pub mod checklist;
pub mod consents;
pub mod drafts;
pub mod form;
pub mod help;
pub mod intake;
pub mod keymap;
pub mod lookup;

pub mod overlay;
pub mod popup;
pub mod sign_in;
pub mod submit;

pub mod text_input;
pub mod training;
pub mod view;
pub mod widgets;

mod msg;
mod screen;
mod state;
mod update;

pub use msg::{Command, IinKnown, Msg, Outcome};
pub use overlay::{HelpState, Overlay};
pub use screen::Screen;
pub use state::{AppState, CaseResult, SessionInfo};
pub use view::view;

#[cfg(test)]
pub(crate) mod fixtures;
#[cfg(test)]
mod tests;
