//! How the gate and the number just given are drawn.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::ui::intake::fields::def;

use crate::i18n::Tr;
use crate::rules::RuleSet;

use super::{Gap, GateState};

fn gap_text(gap: &Gap, set: &RuleSet, tr: &Tr) -> String {
    let v = &set.vocabulary;
    match gap {
        Gap::Decision => tr.t("submit.gap.decision"),
        Gap::Field(id, problem) => {
            let field = tr.t(&format!("field.{}", def(*id).name));
            let problem = problem
                .as_ref()
                .map_or_else(|| tr.t("submit.gap.empty"), |m| m.text(tr));
            tr.f(
                "submit.gap.field",
                &[("field", &field), ("problem", &problem)],
            )
        }
        Gap::Questions => tr.t("submit.gap.questions"),
        Gap::Document(id) => tr.f(
            "submit.gap.document",
            &[(
                "item",
                v.requirements
                    .get(id)
                    .map_or(id.as_str(), |t| t.get(tr.lang)),
            )],
        ),
        Gap::Consent(key) => {
            let consent = key.split('#').next().unwrap_or(key);
            tr.f(
                "submit.gap.consent",
                &[(
                    "item",
                    v.consents.get(consent).map_or(consent, |t| t.get(tr.lang)),
                )],
            )
        }
    }
}

fn popup(area: Rect, rows: u16) -> Rect {
    let popup = crate::ui::popup::below_top(area, 2, rows);
    // Inset from the sides, so the screen behind still frames it.
    let inset = if popup.width > 40 { 3 } else { 0 };
    Rect {
        x: popup.x + inset,
        width: popup.width - 2 * inset,
        ..popup
    }
}

/// The lines of `text`, wrapped to `columns` cells, in `style`.
fn wrapped(
    text: &str,
    first: &str,
    indent: usize,
    columns: usize,
    style: Style,
) -> Vec<Line<'static>> {
    crate::text::wrap_to(text, first, indent, columns.max(8))
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect()
}

/// A bordered box over the top of the screen, its keys on the bottom border (always seen);
/// content taller than the box scrolls so that row `keep` stays in view.
fn draw_box(
    title: &str,
    keys: &str,
    lines: Vec<Line<'static>>,
    keep: usize,
    area: Rect,
    frame: &mut Frame,
) {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let area = popup(area, lines.len() as u16 + 2);
    let inner_rows = usize::from(area.height.saturating_sub(2));
    let scroll = (keep + 1).saturating_sub(inner_rows);
    let block = Block::bordered()
        .title(Line::styled(
            crate::ui::widgets::title_in(&format!(" {title} "), area.width),
            bold,
        ))
        .title_bottom(Line::styled(
            crate::ui::widgets::keys_in(&format!(" {keys} "), area.width),
            bold,
        ));
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll as u16, 0)),
        area,
    );
}

fn inner_columns(area: Rect) -> usize {
    usize::from(popup(area, 3).width.saturating_sub(2))
}

/// The gate before F8 submits (`closing`: before it closes a case that needs no registration).
pub fn draw_gate(
    gate: &GateState,
    closing: bool,
    set: &RuleSet,
    tr: &Tr,
    area: Rect,
    frame: &mut Frame,
) {
    let title = if closing {
        "close.gate_title"
    } else {
        "submit.title"
    };
    let columns = inner_columns(area);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut lines = wrapped(&tr.t("submit.missing"), "", 0, columns, bold);
    let mut keep = 0;
    for (i, gap) in gate.gaps.iter().enumerate() {
        let selected = i == gate.selected;
        let (style, marker) = if selected {
            (Style::new().add_modifier(Modifier::REVERSED), "▸ ✗ ")
        } else {
            (Style::new(), "  ✗ ")
        };
        let item = wrapped(
            &format!("{} ↵", gap_text(gap, set, tr)),
            marker,
            4,
            columns,
            style,
        );
        if selected {
            keep = lines.len() + item.len() - 1;
        }
        lines.extend(item);
    }
    draw_box(
        &tr.t(title),
        &tr.t("submit.gate_keys"),
        lines,
        keep,
        area,
        frame,
    );
}

/// The number just given; `online`: the pilot's channel for this case is online or
/// self-service, which the operator tells the person in front of them.
pub fn draw_submitted(number: &str, online: bool, tr: &Tr, area: Rect, frame: &mut Frame) {
    let columns = inner_columns(area);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    // The number spaced out, so it is read aloud and copied without a mistake.
    let spaced: String = number.chars().flat_map(|c| [c, ' ']).collect();
    let spaced = format!("   {}", spaced.trim_end());
    // On a narrow box, the number as it is: whole is what matters.
    let shown = if crate::text::width(&spaced) <= columns {
        spaced
    } else {
        number.to_owned()
    };
    let mut lines = vec![Line::raw("")];
    lines.extend(wrapped(&tr.t("submit.done"), "", 0, columns, bold));
    lines.push(Line::raw(""));
    let number_row = lines.len();
    lines.push(Line::styled(shown, bold.add_modifier(Modifier::REVERSED)));
    lines.push(Line::raw(""));
    if online {
        lines.extend(wrapped(
            &tr.t("submit.channel_online"),
            "",
            0,
            columns,
            bold,
        ));
        lines.push(Line::raw(""));
    }
    for key in [
        "submit.next.print",
        "submit.next.forms",
        "submit.next.enter",
        "submit.next.family",
    ] {
        lines.extend(wrapped(&tr.t(key), "", 2, columns, Style::new()));
    }
    draw_box(
        &tr.t("submit.title"),
        &tr.t("submit.next_keys"),
        lines,
        number_row,
        area,
        frame,
    );
}

/// The case closed as "registration not required": no number, what the family takes home,
/// and the next person.
pub fn draw_closed(tr: &Tr, area: Rect, frame: &mut Frame) {
    let columns = inner_columns(area);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut lines = vec![Line::raw("")];
    lines.extend(wrapped(&tr.t("close.done"), "", 0, columns, bold));
    lines.push(Line::raw(""));
    lines.extend(wrapped(&tr.t("close.kept"), "", 0, columns, Style::new()));
    lines.push(Line::raw(""));
    for key in ["close.next.note", "submit.next.enter", "submit.next.family"] {
        lines.extend(wrapped(&tr.t(key), "", 2, columns, Style::new()));
    }
    draw_box(
        &tr.t("close.title"),
        &tr.t("close.next_keys"),
        lines,
        0,
        area,
        frame,
    );
}
