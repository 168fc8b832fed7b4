//! Signing in, and the lock screen. While either is shown nothing else is: no case, no list,
//! no name, so a desk left alone (or locked after its idle time) shows no personal data.
//! Three forms: the first administrator of a new database, signing in, and unlocking (the
//! operator who locked types their password again; the work in progress stays).

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::intake::Edit;
use super::text_input::TextInput;
use crate::i18n::{Message, Tr};
use crate::text::{truncate_right, width};

/// The longest text a field takes.
const MAX_FIELD: usize = 64;

/// Marks the sign-in box whatever the language (the end-to-end tests wait for it).
pub const MARKER: &str = "[ regdesk ]";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// A new database: its first account, an administrator.
    FirstAdmin,
    SignIn,
    /// Locked by `login` (shown by name): only their password unlocks; Esc signs out.
    Locked {
        login: String,
        name: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInState {
    pub mode: Mode,
    /// (label key, text, hidden).
    pub fields: Vec<(&'static str, TextInput, bool)>,
    pub focus: usize,
    pub problem: Option<Message>,
}

/// What Enter asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInRequest {
    SignIn {
        login: String,
        password: String,
    },
    FirstAdmin {
        login: String,
        name: String,
        password: String,
    },
    Unlock {
        login: String,
        password: String,
    },
}

impl SignInState {
    pub fn new(mode: Mode) -> SignInState {
        let field = |key, hidden| (key, TextInput::new(""), hidden);
        let fields = match &mode {
            Mode::FirstAdmin => vec![
                field("sign_in.login", false),
                field("sign_in.name", false),
                field("sign_in.password", true),
                field("sign_in.again", true),
            ],
            Mode::SignIn => vec![
                field("sign_in.login", false),
                field("sign_in.password", true),
            ],
            Mode::Locked { .. } => vec![field("sign_in.password", true)],
        };
        SignInState {
            mode,
            fields,
            focus: 0,
            problem: None,
        }
    }

    pub fn next(&mut self, forward: bool) {
        let n = self.fields.len();
        self.focus = if forward {
            (self.focus + 1) % n
        } else {
            (self.focus + n - 1) % n
        };
    }

    pub fn edit(&mut self, edit: Edit) {
        self.fields[self.focus].1.edit(edit);
    }

    pub fn type_text(&mut self, text: &str) {
        let input = &mut self.fields[self.focus].1;
        let room = MAX_FIELD.saturating_sub(input.len());
        let text: String = text
            .chars()
            .filter(|c| !c.is_control())
            .take(room)
            .collect();
        input.insert(&text);
    }

    fn value(&self, key: &str) -> String {
        self.fields
            .iter()
            .find(|(k, _, _)| *k == key)
            .map(|(_, t, _)| t.value().to_owned())
            .unwrap_or_default()
    }

    /// Enter: the next field, or the request when the last is filled; a problem otherwise.
    pub fn enter(&mut self) -> Option<SignInRequest> {
        if self.focus + 1 < self.fields.len() {
            self.focus += 1;
            return None;
        }
        let login = self.value("sign_in.login").trim().to_lowercase();
        let password = self.value("sign_in.password");
        match &self.mode {
            Mode::SignIn => {
                if login.is_empty() || password.is_empty() {
                    self.problem = Some(Message::new("sign_in.fill_both"));
                    self.focus = usize::from(!login.is_empty());
                    return None;
                }
                Some(SignInRequest::SignIn { login, password })
            }
            Mode::Locked { login, .. } => Some(SignInRequest::Unlock {
                login: login.clone(),
                password,
            }),
            Mode::FirstAdmin => {
                let name = self.value("sign_in.name").trim().to_owned();
                if !crate::core::roles::valid_login(&login) {
                    return self.refuse(0, Message::new("operator.error.bad_login"));
                }
                if name.is_empty() {
                    return self.refuse(1, Message::new("sign_in.name_needed"));
                }
                if let Err(p) = crate::core::password::check_new(&password) {
                    return self.refuse(2, Message::new(p.message_key()));
                }
                if password != self.value("sign_in.again") {
                    return self.refuse(3, Message::new("operator.error.mismatch"));
                }
                Some(SignInRequest::FirstAdmin {
                    login,
                    name,
                    password,
                })
            }
        }
    }

    fn refuse(&mut self, focus: usize, problem: Message) -> Option<SignInRequest> {
        self.focus = focus;
        self.problem = Some(problem);
        None
    }

    /// A refused attempt: the problem shown, the password emptied for the next try.
    pub fn refused(&mut self, problem: Message) {
        self.problem = Some(problem);
        if let Some(i) = self
            .fields
            .iter()
            .position(|(k, _, _)| *k == "sign_in.password")
        {
            self.fields[i].1 = TextInput::new("");
            self.focus = i;
        }
    }
}

pub fn draw(state: &SignInState, tr: &Tr, area: Rect, frame: &mut Frame) {
    frame.render_widget(Clear, area);
    let title = match &state.mode {
        Mode::FirstAdmin => tr.t("sign_in.first_title"),
        Mode::SignIn => tr.t("sign_in.title"),
        Mode::Locked { .. } => tr.t("sign_in.locked_title"),
    };
    let rows = state.fields.len() as u16 + 8;
    let popup = super::popup::below_top(area, 1, rows);
    let block = Block::bordered()
        .title(Line::styled(
            format!(" {MARKER} {title} "),
            Style::new().add_modifier(Modifier::BOLD),
        ))
        .title_bottom(Line::from(format!(" {} ", tr.t("sign_in.keys"))).right_aligned());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let mut lines = Vec::new();
    let intro = match &state.mode {
        Mode::FirstAdmin => tr.t("sign_in.first_intro"),
        Mode::SignIn => tr.t("sign_in.intro"),
        Mode::Locked { name, .. } => tr.f("sign_in.locked_intro", &[("name", name)]),
    };
    // Wrapped here, line by line, so that the fields' rows (and the cursor's) are known.
    for line in crate::text::wrap_to(&intro, "", 0, usize::from(inner.width).max(10)) {
        lines.push(Line::from(line));
    }
    lines.push(Line::from(""));
    let label_cells: usize = 24;
    let mut cursor = None;
    for (i, (key, input, hidden)) in state.fields.iter().enumerate() {
        let focused = i == state.focus;
        let marker = if focused { "▸ " } else { "  " };
        let label = tr.t(key);
        let label = format!(
            "{label}{}",
            " ".repeat(label_cells.saturating_sub(width(&label)))
        );
        let shown = if *hidden {
            "•".repeat(input.len())
        } else {
            input.value().to_owned()
        };
        let room = usize::from(inner.width).saturating_sub(width(marker) + label_cells + 1);
        let shown = truncate_right(&shown, room);
        if focused {
            let at = if *hidden {
                input.cursor()
            } else {
                input.cursor_cells()
            };
            cursor = Some((lines.len(), width(marker) + label_cells + at.min(room)));
        }
        let style = if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::from(vec![
            Span::raw(format!("{marker}{label}")),
            Span::styled(
                if shown.is_empty() {
                    " ".to_owned()
                } else {
                    shown
                },
                style,
            ),
        ]));
    }
    if let Some(problem) = &state.problem {
        lines.push(Line::from(""));
        lines.push(Line::styled(
            format!("✗ {}", problem.text(tr)),
            Style::new().add_modifier(Modifier::BOLD),
        ));
    }
    // Not wrapped: the cursor's row is the line's.
    frame.render_widget(Paragraph::new(lines), inner);
    if let Some((row, col)) = cursor {
        let (x, y) = (inner.x + col as u16, inner.y + row as u16);
        if x < inner.x + inner.width && y < inner.y + inner.height {
            frame.set_cursor_position(Position::new(x, y));
        }
    }
}
