//! Drawing the intake form: sections, one line per field (label, value), the focused field in
//! reverse video with a ▸ marker and the cursor, and under a field its problem (✗) or warning
//! (⚠). The form scrolls so that the focused field stays in view.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::fields::{FieldId, FieldKind, choice_key, def};
use super::{Case, IntakeState, is_text_like};
use crate::i18n::Tr;
use crate::text::{truncate_right, width};

/// Cells kept for labels; longer labels are cut with `…`.
const LABEL_CELLS: usize = 38;

pub struct IntakeView<'a> {
    pub state: &'a IntakeState,
    pub case: &'a Case,
    pub today: NaiveDate,
    /// A line about the live result ("provisional: 5 answers missing", "refused: ...").
    pub summary: Option<String>,
}

fn value_text(case: &Case, id: FieldId, tr: &Tr) -> String {
    let value = case.get(id);
    match def(id).kind {
        FieldKind::Choice(_) | FieldKind::YesNo if value.is_empty() => {
            format!("‹ {} ›", tr.t("intake.choose"))
        }
        FieldKind::Choice(_) | FieldKind::YesNo => format!("‹ {} ›", tr.t(&choice_key(value))),
        FieldKind::Date if value.is_empty() => tr.t("intake.date_hint"),
        _ => value.to_owned(),
    }
}

pub fn draw(view: &IntakeView<'_>, tr: &Tr, area: Rect, frame: &mut Frame) {
    let state = view.state;
    let left = state.questions_left(view.case);
    let count = tr.n("intake.questions_left", left as u64, &[]);
    let full = format!(" {} · {count} ", tr.t("screen.intake.title"));
    // On a narrow box the count is what the title is for.
    let room = usize::from(area.width).saturating_sub(2);
    let title = if width(&full) <= room {
        full
    } else {
        truncate_right(&format!(" {count} "), room)
    };
    let block = Block::bordered().title(Line::styled(
        title,
        Style::new().add_modifier(Modifier::BOLD),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 || inner.width < 4 {
        return;
    }
    let label_cells = LABEL_CELLS.min(usize::from(inner.width) / 2);
    let mut lines: Vec<Line> = Vec::new();
    let mut focus_line = 0usize;
    let mut cursor_column = None;
    // The live result stays on the box's first row, whatever the form scrolls below it.
    let inner = match &view.summary {
        Some(summary) if inner.height > 2 => {
            let row = Rect { height: 1, ..inner };
            frame.render_widget(
                Paragraph::new(Line::styled(
                    truncate_right(summary, usize::from(inner.width)),
                    Style::new().add_modifier(Modifier::BOLD),
                )),
                row,
            );
            Rect {
                y: inner.y + 1,
                height: inner.height - 1,
                ..inner
            }
        }
        _ => inner,
    };
    let mut section = None;
    for id in state.visible(view.case) {
        let def = def(id);
        if section != Some(def.section) {
            section = Some(def.section);
            lines.push(Line::styled(
                tr.t(def.section.key()),
                Style::new().add_modifier(Modifier::UNDERLINED),
            ));
        }
        let focused = id == state.focus;
        let marker = if focused { "▸ " } else { "  " };
        let required = if state.required(id) { "*" } else { " " };
        let label = truncate_right(&tr.t(&format!("field.{}", def.name)), label_cells);
        let pad = " ".repeat(label_cells.saturating_sub(width(&label)));
        let prefix = format!("{marker}{label}{required}{pad} ");
        let value = value_text(view.case, id, tr);
        let value_style = if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        if focused {
            focus_line = lines.len();
            if is_text_like(def.kind) {
                cursor_column = Some(width(&prefix) + state.editor.cursor_cells());
            }
        }
        let shown_value = if value.is_empty() && focused {
            " ".to_owned()
        } else if focused && is_text_like(def.kind) {
            // Being typed: shown as it is, the cursor in it.
            value
        } else {
            truncate_right(
                &value,
                usize::from(inner.width).saturating_sub(width(&prefix)),
            )
        };
        lines.push(Line::from(vec![
            Span::styled(
                prefix,
                if focused {
                    Style::new().add_modifier(Modifier::BOLD)
                } else {
                    Style::new()
                },
            ),
            Span::styled(shown_value, value_style),
        ]));
        // A problem is read whole: wrapped under its text, never cut.
        let columns = usize::from(inner.width);
        if let Some(problem) = state.message(view.case, id, view.today) {
            let line = Line::raw(format!("    ✗ {}", problem.text(tr)));
            lines.extend(crate::ui::widgets::hanging(vec![line], columns));
        } else if let Some(warning) = view.case.warning(id).filter(|_| state.left.contains(&id)) {
            let line = Line::raw(format!("    ⚠ {}", warning.text(tr)));
            lines.extend(crate::ui::widgets::hanging(vec![line], columns));
        }
    }
    // Scroll so the focused field and the line under it stay in view.
    let rows = usize::from(inner.height);
    let scroll = (focus_line + 2).saturating_sub(rows);
    let paragraph = Paragraph::new(lines).scroll((scroll as u16, 0));
    frame.render_widget(paragraph, inner);
    if let Some(column) = cursor_column
        && focus_line >= scroll
        && focus_line - scroll < rows
        && column < usize::from(inner.width)
    {
        frame.set_cursor_position(Position::new(
            inner.x + column as u16,
            inner.y + (focus_line - scroll) as u16,
        ));
    }
}
