//! Lessons: a readable file of steps, each a caption in ru, kk and en and the keys the desk
//! is given, played on the real desk by `regdesk training --lesson NAME`. Pure: a file's text
//! in, a lesson (or where its text is wrong) out.
//!
//! Keys are written as a list: a name in angle brackets is one key (`<Enter>`, `<Tab>`,
//! `<S-Tab>`, `<Esc>`, `<Space>`, `<Up>`, `<Down>`, `<Left>`, `<Right>`, `<Home>`, `<End>`,
//! `<PageUp>`, `<PageDown>`, `<Backspace>`, `<Delete>`, `<Insert>`, `<F1>` to `<F12>`,
//! `<C-s>` for Ctrl+S); anything else is text, typed a character at a time. Choices are
//! moved with `<Right>` and `<Left>`, so a lesson plays the same in every interface language.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use toml::Spanned;

use crate::rules::loader::{Message, RuleError, RuleFile, source_for};
use crate::rules::model::Texts;

/// The lessons built into regdesk: (name, file text), in teaching order.
pub const LESSONS: [(&str, &str); 4] = [
    (
        "owner",
        include_str!("../../assets/training/lessons/owner.toml"),
    ),
    (
        "co-owners",
        include_str!("../../assets/training/lessons/co-owners.toml"),
    ),
    (
        "child",
        include_str!("../../assets/training/lessons/child.toml"),
    ),
    (
        "arrival",
        include_str!("../../assets/training/lessons/arrival.toml"),
    ),
];

/// A lesson, ready to play.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    pub name: String,
    pub title: Texts,
    pub steps: Vec<Step>,
}

/// One step: what the trainer says, then the keys the desk is given, then what the desk must
/// show for the lesson to go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub say: Texts,
    pub keys: Vec<KeyEvent>,
    pub show: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LessonFile {
    #[serde(deserialize_with = "super::curriculum::title")]
    title: Texts,
    step: Vec<StepFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepFile {
    #[serde(deserialize_with = "super::curriculum::title")]
    say: Texts,
    #[serde(default)]
    keys: Vec<Spanned<String>>,
    #[serde(default)]
    show: Vec<String>,
}

/// The file a lesson's messages name.
pub fn file_name(name: &str) -> String {
    format!("training/lessons/{name}.toml")
}

/// The built-in lesson called `name`, parsed; `None` when there is none.
pub fn built_in(name: &str) -> Option<Result<Lesson, RuleError>> {
    LESSONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, text)| parse(n, text))
}

/// The lesson in `text`, or the first place its text is wrong (file, line, what).
pub fn parse(name: &str, text: &str) -> Result<Lesson, RuleError> {
    let file = RuleFile {
        name: file_name(name),
        text: text.to_owned(),
    };
    let src = source_for(&file);
    let parsed: LessonFile = toml::from_str(text).map_err(|e| {
        src.error(
            e.span().unwrap_or(0..0),
            Message::new("rules.error.syntax").arg("detail", e.message().trim()),
        )
    })?;
    let mut steps = Vec::new();
    for step in parsed.step {
        let mut keys = Vec::new();
        for token in &step.keys {
            let parsed = keys_of(token.get_ref()).map_err(|bad| {
                src.error(
                    token.span(),
                    Message::new("training.lesson.bad_key").arg("key", bad),
                )
            })?;
            keys.extend(parsed);
        }
        steps.push(Step {
            say: step.say,
            keys,
            show: step.show,
        });
    }
    if steps.is_empty() {
        return Err(src.error(0..0, Message::new("training.lesson.no_steps")));
    }
    Ok(Lesson {
        name: name.to_owned(),
        title: parsed.title,
        steps,
    })
}

/// The keys of one token: a named key in angle brackets, or text typed a character at a
/// time. `Err`: the name no key has.
pub fn keys_of(token: &str) -> Result<Vec<KeyEvent>, String> {
    let Some(name) = token
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .filter(|n| !n.is_empty())
    else {
        return Ok(token
            .chars()
            .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
            .collect());
    };
    named(name).map(|k| vec![k]).ok_or_else(|| token.to_owned())
}

fn named(name: &str) -> Option<KeyEvent> {
    let plain = |code| Some(KeyEvent::new(code, KeyModifiers::NONE));
    if let Some(letter) = name.strip_prefix("C-") {
        let mut chars = letter.chars();
        return match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_lowercase() => {
                Some(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
            }
            _ => None,
        };
    }
    if let Some(n) = name.strip_prefix('F').and_then(|n| n.parse::<u8>().ok()) {
        return (1..=12)
            .contains(&n)
            .then(|| KeyEvent::new(KeyCode::F(n), KeyModifiers::NONE));
    }
    match name {
        "Enter" => plain(KeyCode::Enter),
        "Tab" => plain(KeyCode::Tab),
        "S-Tab" => Some(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
        "Esc" => plain(KeyCode::Esc),
        "Space" => plain(KeyCode::Char(' ')),
        "Up" => plain(KeyCode::Up),
        "Down" => plain(KeyCode::Down),
        "Left" => plain(KeyCode::Left),
        "Right" => plain(KeyCode::Right),
        "Home" => plain(KeyCode::Home),
        "End" => plain(KeyCode::End),
        "PageUp" => plain(KeyCode::PageUp),
        "PageDown" => plain(KeyCode::PageDown),
        "Backspace" => plain(KeyCode::Backspace),
        "Delete" => plain(KeyCode::Delete),
        "Insert" => plain(KeyCode::Insert),
        _ => None,
    }
}

/// How a key is written in a lesson file (the inverse of [`keys_of`] for one key).
pub fn key_name(key: &KeyEvent) -> String {
    let name = match key.code {
        KeyCode::Char(' ') => "Space".to_owned(),
        KeyCode::Char(c) if key.modifiers.contains(KeyModifiers::CONTROL) => format!("C-{c}"),
        KeyCode::Char(c) => return c.to_string(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::BackTab => "S-Tab".to_owned(),
        KeyCode::PageUp => "PageUp".to_owned(),
        KeyCode::PageDown => "PageDown".to_owned(),
        other => format!("{other:?}"),
    };
    format!("<{name}>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every built-in lesson loads, with steps that each say something in every language.
    #[test]
    fn the_built_in_lessons_load() {
        for (name, text) in LESSONS {
            let lesson = parse(name, text).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert!(lesson.steps.len() >= 3, "{name}");
            for step in &lesson.steps {
                for lang in crate::i18n::Lang::ALL {
                    assert!(!step.say.get(lang).trim().is_empty(), "{name} {lang:?}");
                }
            }
            assert!(
                lesson.steps.last().is_some_and(|s| !s.show.is_empty()),
                "{name}: its final screen is checked"
            );
        }
    }

    /// A key no desk has is named with its line; an empty lesson is refused.
    #[test]
    fn a_wrong_key_or_no_step_is_named_with_its_line() {
        let text = "title = { ru = \"а\", kk = \"ә\", en = \"a\" }\n\n[[step]]\nsay = { ru = \"а\", kk = \"ә\", en = \"a\" }\nkeys = [\"<F2>\", \"<Hyper>\"]\n";
        let error = parse("x", text).unwrap_err();
        assert_eq!(error.file, "training/lessons/x.toml");
        assert_eq!(error.line, 5);
        assert_eq!(error.message.key, "training.lesson.bad_key");
        let none = parse(
            "x",
            "title = { ru = \"а\", kk = \"ә\", en = \"a\" }\nstep = []\n",
        );
        assert_eq!(none.unwrap_err().message.key, "training.lesson.no_steps");
        for bad in ["<C-S>", "<F13>", "<F0>", "<C-sh>", "<enter>"] {
            assert_eq!(keys_of(bad), Err(bad.to_owned()));
        }
    }

    fn any_key() -> impl Strategy<Value = KeyEvent> {
        prop_oneof![
            any::<char>()
                .prop_filter("not a space", |c| *c != ' ')
                .prop_map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
            (b'a'..=b'z')
                .prop_map(|c| KeyEvent::new(KeyCode::Char(c as char), KeyModifiers::CONTROL)),
            (1u8..=12).prop_map(|n| KeyEvent::new(KeyCode::F(n), KeyModifiers::NONE)),
            prop::sample::select(vec![
                "Enter",
                "Tab",
                "S-Tab",
                "Esc",
                "Space",
                "Up",
                "Down",
                "Left",
                "Right",
                "Home",
                "End",
                "PageUp",
                "PageDown",
                "Backspace",
                "Delete",
                "Insert",
            ])
            .prop_map(|n| named(n).unwrap()),
        ]
    }

    proptest! {
        /// A key written as a lesson writes it is read back as the same key; any text is
        /// read as its characters or as one named key, never a panic.
        #[test]
        fn keys_read_back_as_written(key in any_key(), text in any::<String>()) {
            let written = key_name(&key);
            let read = keys_of(&written).unwrap();
            prop_assert_eq!(read, vec![key]);
            match keys_of(&text) {
                Ok(keys) => prop_assert!(keys.len() == 1 || keys.len() == text.chars().count()),
                Err(bad) => prop_assert_eq!(bad, text),
            }
        }
    }
}
