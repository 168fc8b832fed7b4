//! Terminal input: what the terminal sends, turned into key, paste and resize events on a
//! channel the event loop blocks on. [`parser`] (a terminal's bytes) and [`burst`] (a
//! console's key events) are pure; the reader threads (`platform::spawn_input`) own the
//! terminal's input and the clock of its deadlines (a lone ESC, a paste that falls silent).

pub mod burst;
pub mod parser;

pub use parser::{Input, PasteCut};
