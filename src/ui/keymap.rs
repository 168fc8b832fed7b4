//! The one table of key bindings. Dispatch, the bottom hint bar and the F1 help overlay are all
//! generated from [`BINDINGS`], so they cannot drift apart.
//!
//! Commands sit on function keys and Ctrl combinations because operators type with a Russian or
//! Kazakh layout active; a Ctrl+letter that arrives as the Cyrillic letter on the same physical
//! key (Ctrl+й for Ctrl+q) is matched too.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Screen;

/// What the operator can ask for with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Help,
    GoTo(Screen),
    NextScreen,
    PreviousScreen,
    SwitchLanguage,
    ReloadRules,
    Quit,
    CloseOverlay,
    ScrollUp,
    ScrollDown,
    PageUp,
    PageDown,
}

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// The main screens (no overlay open).
    Main,
    /// The help overlay is open.
    Help,
    /// Everywhere.
    Always,
}

/// A key as the table spells it: a code, the modifiers, and the label shown to the operator.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub label: &'static str,
}

const fn key(code: KeyCode, label: &'static str) -> Key {
    Key {
        code,
        modifiers: KeyModifiers::NONE,
        label,
    }
}

const fn ctrl(letter: char, label: &'static str) -> Key {
    Key {
        code: KeyCode::Char(letter),
        modifiers: KeyModifiers::CONTROL,
        label,
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub action: Action,
    pub keys: &'static [Key],
    pub context: Context,
    /// Short label for the hint bar; `None` keeps the binding out of the bar (help only).
    pub hint_key: Option<&'static str>,
    /// Full description for the help overlay.
    pub description_key: &'static str,
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        action: Action::Help,
        keys: &[key(KeyCode::F(1), "F1"), key(KeyCode::Char('?'), "?")],
        context: Context::Main,
        hint_key: Some("keys.help.hint"),
        description_key: "keys.help.description",
    },
    Binding {
        action: Action::GoTo(Screen::Intake),
        keys: &[key(KeyCode::F(2), "F2")],
        context: Context::Main,
        hint_key: Some("screen.intake.short"),
        description_key: "keys.intake.description",
    },
    Binding {
        action: Action::GoTo(Screen::Checklist),
        keys: &[key(KeyCode::F(3), "F3")],
        context: Context::Main,
        hint_key: Some("screen.checklist.short"),
        description_key: "keys.checklist.description",
    },
    Binding {
        action: Action::GoTo(Screen::Consent),
        keys: &[key(KeyCode::F(4), "F4")],
        context: Context::Main,
        hint_key: Some("screen.consent.short"),
        description_key: "keys.consent.description",
    },
    Binding {
        action: Action::GoTo(Screen::Lookup),
        keys: &[key(KeyCode::F(5), "F5")],
        context: Context::Main,
        hint_key: Some("screen.lookup.short"),
        description_key: "keys.lookup.description",
    },
    Binding {
        action: Action::NextScreen,
        keys: &[key(KeyCode::Tab, "Tab")],
        context: Context::Main,
        hint_key: None,
        description_key: "keys.next.description",
    },
    Binding {
        action: Action::PreviousScreen,
        keys: &[key(KeyCode::BackTab, "Shift+Tab")],
        context: Context::Main,
        hint_key: None,
        description_key: "keys.previous.description",
    },
    Binding {
        action: Action::SwitchLanguage,
        keys: &[key(KeyCode::F(9), "F9")],
        context: Context::Always,
        hint_key: Some("keys.language.hint"),
        description_key: "keys.language.description",
    },
    Binding {
        action: Action::ReloadRules,
        keys: &[ctrl('r', "Ctrl+R")],
        context: Context::Main,
        hint_key: None,
        description_key: "keys.reload_rules.description",
    },
    Binding {
        action: Action::Quit,
        keys: &[key(KeyCode::F(10), "F10"), ctrl('q', "Ctrl+Q")],
        context: Context::Always,
        hint_key: Some("keys.quit.hint"),
        description_key: "keys.quit.description",
    },
    Binding {
        action: Action::CloseOverlay,
        keys: &[
            key(KeyCode::Esc, "Esc"),
            key(KeyCode::F(1), "F1"),
            key(KeyCode::Char('?'), "?"),
        ],
        context: Context::Help,
        hint_key: Some("keys.close.hint"),
        description_key: "keys.close.description",
    },
    Binding {
        action: Action::ScrollUp,
        keys: &[key(KeyCode::Up, "↑")],
        context: Context::Help,
        hint_key: None,
        description_key: "keys.scroll_up.description",
    },
    Binding {
        action: Action::ScrollDown,
        keys: &[key(KeyCode::Down, "↓")],
        context: Context::Help,
        hint_key: None,
        description_key: "keys.scroll_down.description",
    },
    Binding {
        action: Action::PageUp,
        keys: &[key(KeyCode::PageUp, "PgUp")],
        context: Context::Help,
        hint_key: None,
        description_key: "keys.page_up.description",
    },
    Binding {
        action: Action::PageDown,
        keys: &[key(KeyCode::PageDown, "PgDn")],
        context: Context::Help,
        hint_key: None,
        description_key: "keys.page_down.description",
    },
];

impl Context {
    fn applies_in(self, current: Context) -> bool {
        self == Context::Always || self == current
    }
}

/// The bindings that apply in `current`, in table order.
pub fn bindings_for(current: Context) -> impl Iterator<Item = &'static Binding> {
    BINDINGS
        .iter()
        .filter(move |b| b.context.applies_in(current))
}

/// The action bound to `event` in `current`, if any.
pub fn action_for(event: &KeyEvent, current: Context) -> Option<Action> {
    bindings_for(current)
        .find(|b| b.keys.iter().any(|k| matches_key(k, event)))
        .map(|b| b.action)
}

fn matches_key(key: &Key, event: &KeyEvent) -> bool {
    // Shift is implied by the character itself ('?' is Shift+/ or Shift+7 depending on layout).
    let relevant = KeyModifiers::CONTROL | KeyModifiers::ALT;
    if event.modifiers & relevant != key.modifiers & relevant {
        return false;
    }
    match (key.code, event.code) {
        (KeyCode::Char(want), KeyCode::Char(got))
            if key.modifiers.contains(KeyModifiers::CONTROL) =>
        {
            want == latin_on_same_key(got).to_ascii_lowercase()
        }
        (want, got) => want == got,
    }
}

/// The Latin letter on the same physical key as a Cyrillic letter of the Russian ЙЦУКЕН layout
/// (the Kazakh layout shares these positions); other characters are returned unchanged.
pub fn latin_on_same_key(c: char) -> char {
    const CYRILLIC: &str = "йцукенгшщзхъфывапролджэячсмитьбю";
    const LATIN: &str = "qwertyuiop[]asdfghjkl;'zxcvbnm,.";
    let lower = c.to_lowercase().next().unwrap_or(c);
    CYRILLIC
        .chars()
        .position(|x| x == lower)
        .and_then(|i| LATIN.chars().nth(i))
        .unwrap_or(c)
}

/// All labels of a binding's keys, as shown in help ("F10 / Ctrl+Q").
pub fn key_labels(binding: &Binding) -> String {
    binding
        .keys
        .iter()
        .map(|k| k.label)
        .collect::<Vec<_>>()
        .join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn ctrl_q_quits_in_latin_and_cyrillic_layouts() {
        for letter in ['q', 'Q', 'й', 'Й'] {
            let event = press(KeyCode::Char(letter), KeyModifiers::CONTROL);
            assert_eq!(
                action_for(&event, Context::Main),
                Some(Action::Quit),
                "{letter}"
            );
        }
        let plain = press(KeyCode::Char('й'), KeyModifiers::NONE);
        assert_eq!(action_for(&plain, Context::Main), None);
    }

    #[test]
    fn question_mark_opens_help_with_or_without_shift() {
        for modifiers in [KeyModifiers::NONE, KeyModifiers::SHIFT] {
            let event = press(KeyCode::Char('?'), modifiers);
            assert_eq!(action_for(&event, Context::Main), Some(Action::Help));
        }
    }

    #[test]
    fn help_keys_close_the_overlay_and_quit_works_everywhere() {
        let f1 = press(KeyCode::F(1), KeyModifiers::NONE);
        assert_eq!(action_for(&f1, Context::Help), Some(Action::CloseOverlay));
        let f10 = press(KeyCode::F(10), KeyModifiers::NONE);
        assert_eq!(action_for(&f10, Context::Help), Some(Action::Quit));
        let f2 = press(KeyCode::F(2), KeyModifiers::NONE);
        assert_eq!(
            action_for(&f2, Context::Help),
            None,
            "screens do not switch under help"
        );
    }

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for current in [Context::Main, Context::Help] {
            let mut seen = Vec::new();
            for binding in bindings_for(current) {
                for key in binding.keys {
                    let id = (format!("{:?}", key.code), key.modifiers);
                    assert!(!seen.contains(&id), "{id:?} bound twice in {current:?}");
                    seen.push(id);
                }
            }
        }
    }

    #[test]
    fn cyrillic_letters_map_to_their_physical_keys() {
        assert_eq!(latin_on_same_key('й'), 'q');
        assert_eq!(latin_on_same_key('Ф'), 'a');
        assert_eq!(latin_on_same_key('я'), 'z');
        assert_eq!(latin_on_same_key('x'), 'x');
        assert_eq!(latin_on_same_key('ә'), 'ә');
    }
}
