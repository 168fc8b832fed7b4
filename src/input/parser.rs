//! Terminal input bytes to key and paste events, with the limits a desk needs that a general
//! parser does not give: a bracketed paste that never ends (a start marker and no end, sent
//! by a broken terminal or by hostile text) is closed after a short silence, and a paste that
//! grows past a sane size is cut. Either is reported, and the keyboard never stays captured.
//!
//! Pure: bytes and the passing of time come in, events go out. It understands what xterm,
//! tmux, the Linux console, rxvt and Windows Terminal send: CSI and SS3 sequences with
//! modifiers, Alt as an ESC prefix, control characters, UTF-8 text, bracketed paste.

use std::time::Duration;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

/// How long a lone ESC (or an unfinished sequence) waits for the rest before it counts as
/// the Esc key: sequences arrive in one write, a person never types that fast.
pub const ESCAPE_WAIT: Duration = Duration::from_millis(50);

/// How long a paste may fall silent before it is closed: real pastes arrive in one burst.
pub const PASTE_SILENCE: Duration = Duration::from_millis(1000);

/// The most a paste may hold; what comes after is dropped until the paste ends. No desk
/// field holds more than a few hundred characters.
pub const MAX_PASTE_BYTES: usize = 64 * 1024;

/// The longest escape sequence kept; a longer one is noise and dropped.
const MAX_SEQUENCE: usize = 64;

const PASTE_END: &[u8] = b"\x1b[201~";

/// What the parser produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Event(Event),
    /// A paste was closed by the parser, not by the terminal; its text (up to the limit)
    /// came before as an [`Event::Paste`].
    PasteCut(PasteCut),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasteCut {
    /// No end marker came before the silence.
    Unfinished,
    /// The paste was longer than [`MAX_PASTE_BYTES`].
    TooLong,
}

#[derive(Debug, Default)]
enum Mode {
    #[default]
    Keys,
    /// Inside a bracketed paste: its bytes so far, and whether the limit was hit.
    Paste { bytes: Vec<u8>, cut: bool },
}

/// The byte-level state between calls.
#[derive(Debug, Default)]
pub struct Parser {
    pending: Vec<u8>,
    mode: Mode,
}

fn key(code: KeyCode, modifiers: KeyModifiers) -> Input {
    Input::Event(Event::Key(KeyEvent::new(code, modifiers)))
}

/// xterm's modifier parameter: 1 + (1 Shift, 2 Alt, 4 Ctrl, 8 Meta).
fn modifiers_from(parameter: u16) -> KeyModifiers {
    let bits = parameter.saturating_sub(1);
    let mut m = KeyModifiers::NONE;
    if bits & 1 != 0 {
        m |= KeyModifiers::SHIFT;
    }
    if bits & 2 != 0 || bits & 8 != 0 {
        m |= KeyModifiers::ALT;
    }
    if bits & 4 != 0 {
        m |= KeyModifiers::CONTROL;
    }
    m
}

/// A character typed, as crossterm reports it: upper case carries Shift.
fn char_key(c: char, mut modifiers: KeyModifiers) -> Input {
    if c.is_uppercase() {
        modifiers |= KeyModifiers::SHIFT;
    }
    key(KeyCode::Char(c), modifiers)
}

/// What a control byte (below 0x20, or DEL) means as a key.
fn control_key(byte: u8, modifiers: KeyModifiers) -> Input {
    match byte {
        b'\r' | b'\n' => key(KeyCode::Enter, modifiers),
        b'\t' => key(KeyCode::Tab, modifiers),
        0x7f | 0x08 => key(KeyCode::Backspace, modifiers),
        0x00 => key(KeyCode::Char(' '), modifiers | KeyModifiers::CONTROL),
        0x01..=0x1a => key(
            KeyCode::Char((b'a' + byte - 1) as char),
            modifiers | KeyModifiers::CONTROL,
        ),
        0x1b => key(KeyCode::Esc, modifiers),
        _ => key(
            KeyCode::Char((b'4' + byte - 0x1c) as char),
            modifiers | KeyModifiers::CONTROL,
        ),
    }
}

/// The result of looking at the start of the pending bytes.
enum Step {
    /// `n` bytes made this input (or nothing, for noise).
    Done(usize, Option<Input>),
    /// A paste starts after `n` bytes.
    PasteStart(usize),
    /// More bytes are needed to tell.
    NeedMore,
}

/// Decodes a CSI sequence `ESC [ params final` at the start of `b` (which starts with it).
fn csi(b: &[u8]) -> Step {
    // Linux console function keys: ESC [ [ A .. E.
    if b.len() >= 3 && b[2] == b'[' {
        return match b.get(3) {
            None => Step::NeedMore,
            Some(c @ b'A'..=b'E') => {
                Step::Done(4, Some(key(KeyCode::F(c - b'A' + 1), KeyModifiers::NONE)))
            }
            Some(_) => Step::Done(4, None),
        };
    }
    // Parameter and intermediate bytes, then one final byte; anything else means it was not
    // a sequence after all: drop the ESC [ and read on.
    let Some(end) = b[2..].iter().position(|c| !(0x20..=0x3f).contains(c)) else {
        if b.len() > MAX_SEQUENCE {
            return Step::Done(b.len(), None);
        }
        return Step::NeedMore;
    };
    let end = end + 2;
    if !(0x40..=0x7e).contains(&b[end]) {
        return Step::Done(2, None);
    }
    let length = end + 1;
    if length > MAX_SEQUENCE {
        return Step::Done(length, None);
    }
    let params: Vec<u16> = std::str::from_utf8(&b[2..end])
        .unwrap_or("")
        .split(';')
        .map(|p| p.parse::<u16>().unwrap_or(0))
        .collect();
    let first = params.first().copied().unwrap_or(0);
    let modifiers = modifiers_from(params.get(1).copied().unwrap_or(1));
    let code = match b[end] {
        b'Z' => return Step::Done(length, Some(key(KeyCode::BackTab, KeyModifiers::SHIFT))),
        b'~' => match first {
            200 => return Step::PasteStart(length),
            1 | 7 => Some(KeyCode::Home),
            2 => Some(KeyCode::Insert),
            3 => Some(KeyCode::Delete),
            4 | 8 => Some(KeyCode::End),
            5 => Some(KeyCode::PageUp),
            6 => Some(KeyCode::PageDown),
            11..=15 => Some(KeyCode::F((first - 10) as u8)),
            17..=21 => Some(KeyCode::F((first - 11) as u8)),
            23..=24 => Some(KeyCode::F((first - 12) as u8)),
            _ => None,
        },
        other => letter_key(other),
    };
    Step::Done(length, code.map(|c| key(c, modifiers)))
}

/// The keys whose CSI and SS3 forms end in the same letter: arrows, Home, End, F1 to F4.
fn letter_key(letter: u8) -> Option<KeyCode> {
    match letter {
        b'A' => Some(KeyCode::Up),
        b'B' => Some(KeyCode::Down),
        b'C' => Some(KeyCode::Right),
        b'D' => Some(KeyCode::Left),
        b'H' => Some(KeyCode::Home),
        b'F' => Some(KeyCode::End),
        b'P'..=b'S' => Some(KeyCode::F(letter - b'P' + 1)),
        _ => None,
    }
}

/// Decodes `ESC O x` (SS3) at the start of `b`.
fn ss3(b: &[u8]) -> Step {
    let Some(&c) = b.get(2) else {
        return Step::NeedMore;
    };
    let code = match c {
        b'M' => Some(KeyCode::Enter),
        other => letter_key(other),
    };
    Step::Done(3, code.map(|c| key(c, KeyModifiers::NONE)))
}

/// The length of the UTF-8 character that starts with `lead`, if it can start one.
fn utf8_len(lead: u8) -> Option<usize> {
    match lead {
        0x00..=0x7f => Some(1),
        0xc2..=0xdf => Some(2),
        0xe0..=0xef => Some(3),
        0xf0..=0xf4 => Some(4),
        _ => None,
    }
}

/// A character at the start of `b`, with `modifiers`: `Done(0 ..)` never happens.
fn text_char(b: &[u8], at: usize, modifiers: KeyModifiers) -> Step {
    let Some(len) = utf8_len(b[at]) else {
        return Step::Done(at + 1, None);
    };
    if b.len() < at + len {
        // A lead byte without its continuation bytes yet; give up on one that cannot be.
        if b[at + 1..].iter().any(|c| c & 0xc0 != 0x80) {
            return Step::Done(at + 1, None);
        }
        return Step::NeedMore;
    }
    match std::str::from_utf8(&b[at..at + len])
        .ok()
        .and_then(|s| s.chars().next())
    {
        Some(c) if (c as u32) < 0x20 || c == '\u{7f}' => {
            Step::Done(at + len, Some(control_key(c as u8, modifiers)))
        }
        Some(c) => Step::Done(at + len, Some(char_key(c, modifiers))),
        None => Step::Done(at + 1, None),
    }
}

/// Looks at the start of `b` (non-empty) outside a paste.
fn step(b: &[u8]) -> Step {
    if b[0] != 0x1b {
        return text_char(b, 0, KeyModifiers::NONE);
    }
    match b.get(1) {
        None => Step::NeedMore,
        Some(b'[') => csi(b),
        Some(b'O') => ss3(b),
        // ESC ESC: the first is the Esc key, the second starts over.
        Some(0x1b) => Step::Done(1, Some(key(KeyCode::Esc, KeyModifiers::NONE))),
        // ESC before a character: Alt + that character.
        Some(_) => match text_char(b, 1, KeyModifiers::ALT) {
            Step::Done(n, input) => Step::Done(n, input),
            other => other,
        },
    }
}

impl Parser {
    pub fn new() -> Parser {
        Parser::default()
    }

    /// How long to wait for more bytes before [`Parser::timeout`] must be called: `None`
    /// when nothing is waiting (block until input).
    pub fn deadline(&self) -> Option<Duration> {
        match &self.mode {
            Mode::Paste { .. } => Some(PASTE_SILENCE),
            Mode::Keys if self.pending.is_empty() => None,
            Mode::Keys => Some(ESCAPE_WAIT),
        }
    }

    /// Takes bytes that arrived and appends what they complete to `out`.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<Input>) {
        self.pending.extend_from_slice(bytes);
        self.drain(out);
    }

    /// No byte came within [`Parser::deadline`]: a lone ESC is the Esc key, an unfinished
    /// sequence is dropped, a silent paste is closed.
    pub fn timeout(&mut self, out: &mut Vec<Input>) {
        match std::mem::take(&mut self.mode) {
            Mode::Paste { mut bytes, cut } => {
                // The pending bytes may hold the beginning of an end marker: they are text.
                bytes.extend(std::mem::take(&mut self.pending));
                bytes.truncate(MAX_PASTE_BYTES);
                self.finish_paste(bytes, cut, Some(PasteCut::Unfinished), out);
            }
            Mode::Keys => {
                if self.pending.first() == Some(&0x1b) {
                    out.push(key(KeyCode::Esc, KeyModifiers::NONE));
                    self.pending.remove(0);
                } else if !self.pending.is_empty() {
                    self.pending.remove(0);
                }
                self.drain(out);
                // What is still unfinished after the wait will not be finished.
                self.pending.clear();
            }
        }
    }

    fn finish_paste(
        &mut self,
        bytes: Vec<u8>,
        cut: bool,
        reason: Option<PasteCut>,
        out: &mut Vec<Input>,
    ) {
        let text = String::from_utf8_lossy(&bytes)
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        out.push(Input::Event(Event::Paste(text)));
        let reason = if cut { Some(PasteCut::TooLong) } else { reason };
        if let Some(reason) = reason {
            out.push(Input::PasteCut(reason));
        }
    }

    fn drain(&mut self, out: &mut Vec<Input>) {
        loop {
            if let Mode::Paste { .. } = self.mode {
                if !self.drain_paste(out) {
                    return;
                }
                continue;
            }
            if self.pending.is_empty() {
                return;
            }
            match step(&self.pending) {
                Step::NeedMore => return,
                Step::Done(n, input) => {
                    self.pending.drain(..n.min(self.pending.len()));
                    out.extend(input);
                }
                Step::PasteStart(n) => {
                    self.pending.drain(..n);
                    self.mode = Mode::Paste {
                        bytes: Vec::new(),
                        cut: false,
                    };
                }
            }
        }
    }

    /// Moves pending bytes into the paste; returns whether the paste ended (and keys follow).
    fn drain_paste(&mut self, out: &mut Vec<Input>) -> bool {
        let Mode::Paste { bytes, cut } = &mut self.mode else {
            return true;
        };
        if let Some(at) = find(&self.pending, PASTE_END) {
            let rest = self.pending.split_off(at + PASTE_END.len());
            self.pending.truncate(at);
            take_into(bytes, cut, &self.pending);
            self.pending = rest;
            let (bytes, cut) = (std::mem::take(bytes), *cut);
            self.mode = Mode::Keys;
            self.finish_paste(bytes, cut, None, out);
            return true;
        }
        // Keep a tail that may be the start of the end marker; the rest is paste text.
        let keep = (1..PASTE_END.len())
            .rev()
            .find(|k| self.pending.ends_with(&PASTE_END[..*k]))
            .unwrap_or(0);
        let text_len = self.pending.len() - keep;
        take_into(bytes, cut, &self.pending[..text_len]);
        self.pending.drain(..text_len);
        false
    }
}

/// Adds `more` to a paste's bytes, up to the limit; past it, marks the paste as cut.
fn take_into(bytes: &mut Vec<u8>, cut: &mut bool, more: &[u8]) {
    let room = MAX_PASTE_BYTES.saturating_sub(bytes.len());
    if more.len() > room {
        *cut = true;
    }
    bytes.extend_from_slice(&more[..more.len().min(room)]);
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests;
