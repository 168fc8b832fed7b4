//! The open drafts shown at start: time, masked IIN and name, with keys to resume one or to
//! discard it (asked once more), or Esc for a new case.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use super::{AppState, Command, Outcome};
use crate::i18n::Tr;

/// One draft as the list shows it. Only the masked IIN and the name are read out of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftSummary {
    pub id: i64,
    /// When it was last saved, in local time as the desk shows it (`01.12.2026 10:32`).
    pub when: String,
    pub masked_iin: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftsState {
    pub items: Vec<DraftSummary>,
    pub selected: usize,
    /// Delete was pressed once on this draft: pressing it again discards.
    pub confirm: Option<i64>,
}

impl DraftsState {
    pub fn selected(&self) -> Option<&DraftSummary> {
        self.items.get(self.selected)
    }
}

/// Moving in the list and discarding a draft (Delete twice).
impl AppState {
    pub(crate) fn move_in_drafts(&mut self, down: bool) -> Outcome {
        let Some(drafts) = self.drafts_offered_mut() else {
            return Outcome::unchanged();
        };
        let last = drafts.items.len().saturating_sub(1);
        drafts.selected = if down {
            (drafts.selected + 1).min(last)
        } else {
            drafts.selected.saturating_sub(1)
        };
        drafts.confirm = None;
        Outcome::redraw()
    }

    pub(crate) fn discard_draft(&mut self) -> Outcome {
        let Some(drafts) = self.drafts_offered_mut() else {
            return Outcome::unchanged();
        };
        let Some(id) = drafts.selected().map(|d| d.id) else {
            return Outcome::unchanged();
        };
        if drafts.confirm != Some(id) {
            drafts.confirm = Some(id);
            return Outcome::redraw();
        }
        drafts.items.retain(|d| d.id != id);
        drafts.selected = drafts.selected.min(drafts.items.len().saturating_sub(1));
        drafts.confirm = None;
        if drafts.items.is_empty() {
            self.overlay = None;
        }
        Outcome::command(Command::DiscardDraft(id))
    }
}

pub fn draw(state: &DraftsState, tr: &Tr, area: Rect, frame: &mut Frame) {
    let popup = super::popup::below_top(area, 1, state.items.len() as u16 + 4);
    let block = Block::bordered().title(Line::styled(
        super::widgets::title_in(
            &format!(" {} ", tr.n("drafts.title", state.items.len() as u64, &[])),
            popup.width,
        ),
        Style::new().add_modifier(Modifier::BOLD),
    ));
    let mut lines = Vec::new();
    for (i, d) in state.items.iter().enumerate() {
        let when = &d.when;
        let name = if d.name.is_empty() {
            tr.t("drafts.no_name")
        } else {
            d.name.clone()
        };
        let iin = if d.masked_iin.is_empty() {
            "············".to_owned()
        } else {
            d.masked_iin.clone()
        };
        let selected = i == state.selected;
        let marker = if selected { "▸" } else { " " };
        let style = if selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        // A narrow box keeps the name (what the operator looks for) and cuts with "…".
        let columns = usize::from(popup.width.saturating_sub(2));
        let row = format!("{marker} {when}  {iin}  {name}");
        let row = if crate::text::width(&row) <= columns {
            row
        } else {
            crate::text::truncate_right(&format!("{marker} {name} · {iin}"), columns)
        };
        lines.push(Line::styled(row, style));
    }
    let footer = match state.confirm {
        Some(_) => tr.t("drafts.confirm_discard"),
        None => tr.t("drafts.keys"),
    };
    lines.push(Line::raw(""));
    let footer = Line::styled(footer, Style::new().add_modifier(Modifier::BOLD));
    lines.extend(super::widgets::hanging(
        vec![footer],
        usize::from(popup.width.saturating_sub(2)),
    ));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block), popup);
}
