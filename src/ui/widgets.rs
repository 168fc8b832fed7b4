//! Small drawing pieces the screens share.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};

/// The field in focus is drawn in reverse video (never by colour alone).
pub fn focus_style(focused: bool) -> Style {
    if focused {
        Style::new().add_modifier(Modifier::REVERSED)
    } else {
        Style::new()
    }
}

/// `lines` in a bordered box with a bold title, wrapped to its width with each continued
/// line indented under its text.
pub fn titled_text(lines: Vec<Line<'_>>, title: &str, area: Rect, frame: &mut Frame) {
    let block = Block::bordered().title(Line::styled(
        title_in(&format!(" {title} "), area.width),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    let columns = usize::from(block.inner(area).width);
    frame.render_widget(Paragraph::new(hanging(lines, columns)).block(block), area);
}

/// A box's title within a box `width` cells wide, cut with "…" (never by the border).
pub fn title_in(text: &str, width: u16) -> String {
    crate::text::truncate_right(text, usize::from(width.saturating_sub(2)))
}

/// A box's key line on its bottom border: whole, or not at all when the box is too narrow
/// (the key bar under the screen says the same).
pub fn keys_in(text: &str, width: u16) -> String {
    if crate::text::width(text) <= usize::from(width.saturating_sub(2)) {
        text.to_owned()
    } else {
        String::new()
    }
}

/// A cell of `cells` columns: cut with "…", or padded with spaces; its last column is always
/// a space, so a long text never runs into the next column (a list's, a form's label).
pub fn cell(text: &str, cells: usize) -> String {
    let cut = crate::text::truncate_right(text, cells.saturating_sub(1));
    let pad = cells.saturating_sub(crate::text::width(&cut));
    format!("{cut}{}", " ".repeat(pad))
}

/// The column of a form's labels: the longest label and two spaces, at most half of a box
/// `box_cells` wide (kk labels are long: a value never runs into its label).
pub fn label_column(labels: impl IntoIterator<Item = String>, box_cells: usize) -> usize {
    labels
        .into_iter()
        .map(|l| crate::text::width(&l) + 2)
        .max()
        .unwrap_or(0)
        .min(box_cells / 2)
}

/// A small form drawn over a screen: `lines` in `block` over `popup`, scrolled so that the
/// field on `focus_row` stays in view on a short terminal, the cursor at `cursor` (row and
/// column of `lines`; at the box's edge when the value typed is longer).
pub fn draw_form(
    frame: &mut Frame,
    popup: Rect,
    block: Block<'_>,
    lines: Vec<Line<'_>>,
    focus_row: usize,
    cursor: Option<(usize, usize)>,
) {
    let inner = block.inner(popup);
    let scroll = (focus_row + 1).saturating_sub(usize::from(inner.height));
    frame.render_widget(ratatui::widgets::Clear, popup);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll as u16, 0)),
        popup,
    );
    if let Some((row, column)) = cursor
        && row >= scroll
        && row - scroll < usize::from(inner.height)
        && inner.width > 0
    {
        let x = inner.x + (column as u16).min(inner.width - 1);
        frame.set_cursor_position(ratatui::layout::Position::new(
            x,
            inner.y + (row - scroll) as u16,
        ));
    }
}

/// Where a line's text starts: after its leading spaces and markers (`▸`, `[ ]`, `•`, `?`,
/// `→`, `■`), so that a continued line is indented under the text, not under the marker.
fn text_start(text: &str) -> usize {
    let prefix: String = text.chars().take_while(|c| !c.is_alphanumeric()).collect();
    crate::text::width(&prefix)
}

/// `lines` wrapped to `columns` cells, each continued line indented under its text (a line
/// that fits is kept as it is, with its spans). A wrapped line keeps the style of the line
/// and its first span.
pub fn hanging<'a>(lines: Vec<Line<'a>>, columns: usize) -> Vec<Line<'a>> {
    let columns = columns.max(4);
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.width() <= columns {
            out.push(line);
            continue;
        }
        let style = line
            .spans
            .first()
            .map_or(line.style, |s| line.style.patch(s.style));
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        let start = text_start(&text);
        // A marker wider than half the line would leave no room: indent by two instead.
        let indent = if start > columns / 2 { 2 } else { start };
        let cut = text
            .char_indices()
            .find(|(_, c)| c.is_alphanumeric())
            .map_or(text.len(), |(i, _)| i);
        let (first, rest) = text.split_at(cut);
        for part in crate::text::wrap_to(rest, first, indent, columns) {
            out.push(Line::styled(part, style));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn continued_lines_are_indented_under_their_text() {
        let lines = hanging(
            vec![Line::raw(
                "▸ [ ] Документ, подтверждающий право собственности на жилище — собственник",
            )],
            40,
        );
        let texts = texts(&lines);
        assert!(texts.len() > 1, "{texts:?}");
        for t in &texts {
            assert!(crate::text::width(t) <= 40, "{t:?}");
        }
        assert!(texts[0].starts_with("▸ [ ] Документ"), "{texts:?}");
        for t in &texts[1..] {
            assert!(
                t.starts_with("      ") && !t.starts_with("       "),
                "{t:?}"
            );
        }
    }

    #[test]
    fn a_line_that_fits_is_kept_and_a_long_marker_falls_back_to_two() {
        let kept = hanging(vec![Line::raw("  • short")], 40);
        assert_eq!(texts(&kept), vec!["  • short"]);
        let long = hanging(
            vec![Line::raw(format!("{} слово слово", "-".repeat(30)))],
            40,
        );
        assert!(texts(&long)[1].starts_with("  с"), "{:?}", texts(&long));
    }
}
