//! Where a box over the screen goes: near the top, as tall as its content, the screen behind
//! still showing below it.

use ratatui::layout::{Constraint, Layout, Rect};

/// A box of `rows` (at most the area's height), `top` rows below the top of `area`.
pub fn below_top(area: Rect, top: u16, rows: u16) -> Rect {
    let [_, popup, _] = Layout::vertical([
        Constraint::Length(top),
        Constraint::Length(rows.min(area.height)),
        Constraint::Min(0),
    ])
    .areas(area);
    popup
}
