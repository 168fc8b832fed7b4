//! Pastes from a console that delivers them as keys (the Windows console): the key events that
//! were already queued together when read are one burst, and a burst of two or more typed
//! characters (letters, Enter, Tab) is a paste, since no one types two keys within one read.
//! The paste gets the same cap and "paste cut" notice as a terminal's bracketed paste. Pure:
//! the reader feeds it events and says where each queued batch ends.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::parser::{Input, MAX_PASTE_BYTES, PasteCut};

/// The typed characters of the current run, as text and as the events they came from (a run
/// of one is a key, not a paste).
#[derive(Debug, Default)]
pub struct Burst {
    text: String,
    first: Option<Event>,
    count: usize,
    cut: bool,
}

/// The character a key event types into a paste: letters (with Shift only), Enter, Tab.
fn typed(key: &KeyEvent) -> Option<char> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if !(key.modifiers - KeyModifiers::SHIFT).is_empty() {
        return None;
    }
    match key.code {
        KeyCode::Char(c) => Some(c),
        KeyCode::Enter => Some('\n'),
        KeyCode::Tab => Some('\t'),
        _ => None,
    }
}

impl Burst {
    /// One event of the current batch.
    pub fn push(&mut self, event: Event, out: &mut Vec<Input>) {
        if let Event::Key(key) = &event {
            // A key's release says nothing a paste needs (the desk ignores releases).
            if key.kind == KeyEventKind::Release && self.count > 0 {
                return;
            }
            if let Some(c) = typed(key) {
                if self.count == 0 {
                    self.first = Some(event.clone());
                }
                self.count += 1;
                if self.text.len() + c.len_utf8() > MAX_PASTE_BYTES {
                    self.cut = true;
                } else {
                    self.text.push(c);
                }
                return;
            }
        }
        self.flush(out);
        out.push(Input::Event(event));
    }

    /// The batch ended (nothing more was queued): the run so far goes out.
    pub fn flush(&mut self, out: &mut Vec<Input>) {
        let run = std::mem::take(self);
        match run.count {
            0 => {}
            1 => out.extend(run.first.map(Input::Event)),
            _ => {
                out.push(Input::Event(Event::Paste(run.text)));
                if run.cut {
                    out.push(Input::PasteCut(PasteCut::TooLong));
                }
            }
        }
    }
}

/// The inputs of one queued batch of events.
pub fn group(events: impl IntoIterator<Item = Event>) -> Vec<Input> {
    let mut burst = Burst::default();
    let mut out = Vec::new();
    for event in events {
        burst.push(event, &mut out);
    }
    burst.flush(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    fn release(code: KeyCode) -> Event {
        let mut k = KeyEvent::new(code, KeyModifiers::NONE);
        k.kind = KeyEventKind::Release;
        Event::Key(k)
    }

    fn keys(text: &str) -> Vec<Event> {
        text.chars()
            .flat_map(|c| {
                let code = if c == '\n' {
                    KeyCode::Enter
                } else {
                    KeyCode::Char(c)
                };
                [key(code), release(code)]
            })
            .collect()
    }

    #[test]
    fn one_key_stays_a_key() {
        assert_eq!(
            group([key(KeyCode::Char('ә'))]),
            [Input::Event(key(KeyCode::Char('ә')))]
        );
        assert_eq!(
            group([key(KeyCode::F(3))]),
            [Input::Event(key(KeyCode::F(3)))]
        );
        // A release alone passes as it came (the desk ignores it).
        assert_eq!(
            group([release(KeyCode::Char('a'))]),
            [Input::Event(release(KeyCode::Char('a')))]
        );
    }

    #[test]
    fn a_burst_of_typed_keys_is_one_paste_with_its_newlines() {
        let out = group(keys("Серікова\nАйгерім"));
        assert_eq!(
            out,
            [Input::Event(Event::Paste("Серікова\nАйгерім".into()))]
        );
    }

    #[test]
    fn a_control_key_ends_the_run_and_stays_a_key() {
        let ctrl_s = Event::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
        let mut events = keys("ab");
        events.push(ctrl_s.clone());
        events.push(key(KeyCode::Char('c')));
        assert_eq!(
            group(events),
            [
                Input::Event(Event::Paste("ab".into())),
                Input::Event(ctrl_s),
                Input::Event(key(KeyCode::Char('c'))),
            ]
        );
    }

    #[test]
    fn a_paste_over_the_cap_is_cut_and_says_so() {
        let long = "ә".repeat(MAX_PASTE_BYTES);
        let out = group(long.chars().map(|c| key(KeyCode::Char(c))));
        let [
            Input::Event(Event::Paste(text)),
            Input::PasteCut(PasteCut::TooLong),
        ] = out.as_slice()
        else {
            panic!("{:?}", out.len());
        };
        assert!(text.len() <= MAX_PASTE_BYTES);
        assert_eq!(text.len(), MAX_PASTE_BYTES, "whole letters up to the cap");
    }

    proptest::proptest! {
        /// Whatever a burst holds, no typed character is lost below the cap and nothing
        /// else changes order.
        #[test]
        fn typed_text_survives_grouping(text in "\\PC{0,200}") {
            let out = group(keys(&text));
            let back: String = out.iter().map(|i| match i {
                Input::Event(Event::Paste(t)) => t.clone(),
                Input::Event(Event::Key(k)) => match k.code {
                    KeyCode::Char(c) => c.to_string(),
                    KeyCode::Enter => "\n".into(),
                    _ => String::new(),
                },
                _ => String::new(),
            }).collect();
            proptest::prop_assert_eq!(back, text);
        }
    }
}
