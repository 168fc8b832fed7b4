//! Small drawing pieces the screens share.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

/// The field in focus is drawn in reverse video (never by colour alone).
pub fn focus_style(focused: bool) -> Style {
    if focused {
        Style::new().add_modifier(Modifier::REVERSED)
    } else {
        Style::new()
    }
}

/// `lines` in a bordered box with a bold title, wrapped to its width.
pub fn titled_text(lines: Vec<Line<'_>>, title: &str, area: Rect, frame: &mut Frame) {
    let block = Block::bordered().title(Line::styled(
        format!(" {title} "),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
