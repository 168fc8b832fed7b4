//! Screen bodies. Intake, checklist, consent and lookup are named places that later work fills;
//! each says what it will hold so that a trainer can already walk the desk's structure.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::{Screen, SessionInfo};
use crate::i18n::Tr;

pub fn draw(screen: Screen, session: &SessionInfo, tr: &Tr, area: Rect, frame: &mut Frame) {
    let title = tr.t(&format!("{}.title", screen.key()));
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let block = Block::bordered().title(Line::styled(format!(" {title} "), bold));
    let mut text = vec![
        Line::raw(tr.t(&format!("{}.purpose", screen.key()))),
        Line::raw(""),
        Line::styled(
            tr.t("screen.not_ready"),
            Style::new().add_modifier(Modifier::ITALIC),
        ),
    ];
    if screen == Screen::Checklist {
        text.push(Line::raw(""));
        text.push(Line::raw(
            tr.f("screen.checklist.ruleset", &[("rules", &session.rules)]),
        ));
    }
    frame.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
        area,
    );
}
