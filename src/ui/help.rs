//! The F1 help overlay, generated from the live keymap table.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Margin, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, BorderType, Clear, Paragraph, Scrollbar, ScrollbarOrientation, ScrollbarState,
};

use super::keymap::{self, BINDINGS, Context};
use super::{AppState, HelpState, Outcome, Overlay};
use crate::i18n::Tr;
use crate::text::width;

/// Sections of the help, each listing the bindings of one context.
const SECTIONS: [(Context, &str); 12] = [
    (Context::Main, "help.section.main"),
    (Context::Form, "help.section.form"),
    (Context::List, "help.section.list"),
    (Context::Search, "help.section.search"),
    (Context::Record, "help.section.record"),
    (Context::SignIn, "help.section.sign_in"),
    (Context::Editor, "help.section.mark_editor"),
    (Context::Gate, "help.section.gate"),
    (Context::Submitted, "help.section.submitted"),
    (Context::Closed, "help.section.closed"),
    (Context::Drafts, "help.section.drafts"),
    (Context::Help, "help.section.help"),
];

/// The bindings a section lists: keys that work everywhere are listed once, under the main
/// screens, not again under help.
fn section_bindings(context: Context) -> impl Iterator<Item = &'static keymap::Binding> {
    keymap::bindings_for(context).filter(move |b| context == Context::Main || b.context == context)
}

/// Number of lines the help content has (an upper bound for scrolling).
pub fn line_count() -> u16 {
    let bindings = SECTIONS
        .iter()
        .map(|(c, _)| section_bindings(*c).count())
        .sum::<usize>();
    (bindings + SECTIONS.len() * 2) as u16
}

/// Lines the help overlay moves on PageUp/PageDown.
pub(crate) const HELP_PAGE: u16 = 10;

impl AppState {
    /// Scrolls help; the view clamps the offset to the content, so any value is safe here.
    pub(crate) fn scroll_help(&mut self, change: impl FnOnce(u16) -> u16) -> Outcome {
        let Some(Overlay::Help(help, _)) = self.overlay.as_mut() else {
            return Outcome::unchanged();
        };
        let scroll = change(help.scroll).min(line_count());
        if scroll == help.scroll {
            return Outcome::unchanged();
        }
        help.scroll = scroll;
        Outcome::redraw()
    }
}

fn lines(tr: &Tr) -> Vec<Line<'static>> {
    let key_column = BINDINGS
        .iter()
        .map(|b| width(&keymap::key_labels(b)))
        .max()
        .unwrap_or(0)
        + 2;
    let mut lines = Vec::new();
    for (context, title_key) in SECTIONS {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(
            tr.t(title_key),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        ));
        for binding in section_bindings(context) {
            let keys = keymap::key_labels(binding);
            let pad = " ".repeat(key_column.saturating_sub(width(&keys)));
            lines.push(Line::from(vec![
                Span::styled(keys, Style::new().add_modifier(Modifier::BOLD)),
                Span::raw(pad),
                Span::raw(tr.t(binding.description_key)),
            ]));
        }
    }
    lines
}

/// Draws the overlay centred over `area` (the body of the shell).
pub fn draw(tr: &Tr, state: HelpState, area: Rect, frame: &mut Frame) {
    let content = lines(tr);
    let wanted_width = content.iter().map(Line::width).max().unwrap_or(0) as u16 + 4;
    let [_, column, _] = Layout::horizontal([
        Constraint::Fill(1),
        Constraint::Length(wanted_width.min(area.width)),
        Constraint::Fill(1),
    ])
    .areas(area);
    let [_, popup, _] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length((content.len() as u16 + 2).min(area.height)),
        Constraint::Fill(1),
    ])
    .areas(column);
    let visible = popup.height.saturating_sub(2);
    let scroll = state
        .scroll
        .min((content.len() as u16).saturating_sub(visible));
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .title(crate::ui::widgets::title_in(
            &format!(" {} ", tr.t("help.title")),
            popup.width,
        ))
        .title_bottom(crate::ui::widgets::keys_in(
            &format!(" {} ", tr.n("help.footer", BINDINGS.len() as u64, &[])),
            popup.width,
        ));
    let overflow = content.len() as u16 > visible;
    let total = content.len();
    // A line wider than the box is cut with "…" (its keys come first and stay).
    let room = usize::from(popup.width.saturating_sub(2));
    let content: Vec<Line> = content
        .into_iter()
        .map(|line| {
            if line.width() <= room {
                return line;
            }
            let mut left = room;
            let spans = line
                .spans
                .into_iter()
                .map(|span| {
                    let text = crate::text::truncate_right(&span.content, left);
                    left = left.saturating_sub(width(&text));
                    Span::styled(text, span.style)
                })
                .collect::<Vec<_>>();
            Line::from(spans).style(line.style)
        })
        .collect();
    frame.render_widget(Clear, popup);
    frame.render_widget(
        Paragraph::new(content).block(block).scroll((scroll, 0)),
        popup,
    );
    if overflow {
        // A scrollbar on the right border says there is more (↑/↓ move it), in any colour mode.
        let mut position = ScrollbarState::new(total.saturating_sub(usize::from(visible)))
            .position(usize::from(scroll));
        let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
            .begin_symbol(Some("▲"))
            .end_symbol(Some("▼"));
        frame.render_stateful_widget(
            bar,
            popup.inner(Margin {
                horizontal: 0,
                vertical: 1,
            }),
            &mut position,
        );
    }
}
