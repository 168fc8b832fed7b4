//! How the sign-in, first-administrator and lock forms are drawn.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{MARKER, Mode, SignInState};
use crate::i18n::Tr;
use crate::text::{truncate_right, width};

pub fn draw(state: &SignInState, tr: &Tr, area: Rect, frame: &mut Frame) {
    frame.render_widget(Clear, area);
    let title = match &state.mode {
        Mode::FirstAdmin => tr.t("sign_in.first_title"),
        Mode::SignIn => tr.t("sign_in.title"),
        Mode::Locked { .. } => tr.t("sign_in.locked_title"),
    };
    // The first start creates an account: its Enter says so, not "sign in".
    let keys = match &state.mode {
        Mode::FirstAdmin => "sign_in.keys_first",
        _ => "sign_in.keys",
    };
    let rows = state.fields.len() as u16 + 8;
    let popup = crate::ui::popup::below_top(area, 1, rows);
    let block = Block::bordered()
        .title(Line::styled(
            crate::ui::widgets::title_in(&format!(" {MARKER} {title} "), popup.width),
            Style::new().add_modifier(Modifier::BOLD),
        ))
        .title_bottom(
            Line::from(crate::ui::widgets::keys_in(
                &format!(" {} ", tr.t(keys)),
                popup.width,
            ))
            .right_aligned(),
        );
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
        let style = crate::ui::widgets::focus_style(focused);
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
