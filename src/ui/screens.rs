//! The bodies of the screens still to be built (consent, lookup): named places that say what
//! they will hold, so that a trainer can already walk the desk's structure.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::Screen;
use crate::i18n::Tr;

pub fn draw(screen: Screen, tr: &Tr, area: Rect, frame: &mut Frame) {
    let title = tr.t(&format!("{}.title", screen.key()));
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let block = Block::bordered().title(Line::styled(format!(" {title} "), bold));
    let text = vec![
        Line::raw(tr.t(&format!("{}.purpose", screen.key()))),
        Line::raw(""),
        Line::styled(
            tr.t("screen.not_ready"),
            Style::new().add_modifier(Modifier::ITALIC),
        ),
    ];
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
        area,
    );
}
