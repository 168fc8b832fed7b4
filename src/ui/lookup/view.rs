//! Draws the lookup screen: the search box with its filters, the results (or a list, or the
//! day's summary), and the record view with its form.

use chrono::FixedOffset;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::editor::{EditorKind, OVERRIDE, Part, RecordEditor};
use super::record::{self, RecordLine, day, status_name};
use super::{Listing, LookupState, Row};
use crate::core::masked_iin;
use crate::i18n::Tr;
use crate::rules::RuleSet;
use crate::text::{truncate_right, width};

fn reversed() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

use crate::ui::widgets::cell;

pub fn draw(
    state: &LookupState,
    rules: &RuleSet,
    tr: &Tr,
    offset: FixedOffset,
    focused: bool,
    area: Rect,
    frame: &mut Frame,
) {
    if let Some(open) = &state.record {
        draw_record(open, rules, tr, offset, area, frame);
        if let Some(editor) = &open.editor {
            draw_editor(editor, rules, tr, area, frame);
        }
        return;
    }
    let [search, list] = Layout::vertical([Constraint::Length(3), Constraint::Min(0)]).areas(area);
    draw_search(state, tr, focused, search, frame);
    match state.listing {
        Listing::Summary => draw_summary(state, rules, tr, list, frame),
        Listing::Audit => draw_audit(state, tr, offset, list, frame),
        Listing::Accounts => draw_accounts(state, tr, list, frame),
        Listing::Center => draw_center(state, tr, list, frame),
        _ => draw_list(state, tr, list, frame),
    }
    if let Some(editor) = &state.admin_form {
        draw_editor(editor, rules, tr, area, frame);
    }
}

/// The center profile (administrators): where its file is, each value, what is wrong.
fn draw_center(state: &LookupState, tr: &Tr, area: Rect, frame: &mut Frame) {
    let Some(info) = &state.center else {
        return;
    };
    let mut lines = vec![Line::styled(
        tr.f("center.file", &[("path", &info.path)]),
        bold(),
    )];
    let label_cells = crate::ui::widgets::label_column(
        crate::center::FIELDS.iter().map(|k| tr.t(k)),
        usize::from(area.width),
    );
    match &info.fields {
        Some(fields) => {
            for (key, value) in crate::center::FIELDS.iter().zip(&fields.0) {
                lines.push(Line::from(format!(
                    "  {}{value}",
                    cell(&tr.t(key), label_cells)
                )));
            }
        }
        None => {
            for problem in &info.problems {
                let at = if problem.line > 0 {
                    format!(
                        "{}: ",
                        tr.f("center.line", &[("line", &problem.line.to_string())])
                    )
                } else {
                    String::new()
                };
                lines.push(Line::from(format!("  ✗ {at}{}", problem.message.text(tr))));
            }
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        format!("  {}", tr.t("center.keys")),
        Style::new().add_modifier(Modifier::DIM),
    ));
    let lines = crate::ui::widgets::hanging(lines, usize::from(area.width));
    frame.render_widget(Paragraph::new(lines), area);
}

/// The accounts (administrators): login, name, role, and whether it is disabled.
fn draw_accounts(state: &LookupState, tr: &Tr, area: Rect, frame: &mut Frame) {
    const LOGIN: usize = 20;
    const ROLE: usize = 16;
    let all = usize::from(area.width).saturating_sub(2);
    let name_cells = all.saturating_sub(LOGIN + ROLE + 16).max(8);
    let mut lines = vec![Line::styled(
        format!(
            "  {}{}{}{}",
            cell(&tr.t("accounts.login"), LOGIN),
            cell(&tr.t("accounts.name_column"), name_cells),
            cell(&tr.t("accounts.role"), ROLE),
            tr.t("accounts.state"),
        ),
        bold(),
    )];
    for (i, account) in state.accounts.iter().enumerate().skip(state.offset) {
        let selected = i == state.selected;
        let marker = if selected { "▸ " } else { "  " };
        let active = if account.active {
            tr.t("accounts.active")
        } else {
            tr.t("accounts.disabled_state")
        };
        let text = format!(
            "{marker}{}{}{}{active}",
            cell(&account.login, LOGIN),
            cell(&account.display_name, name_cells),
            cell(&tr.t(account.role.message_key()), ROLE),
        );
        let text = truncate_right(&text, usize::from(area.width));
        lines.push(if selected {
            Line::styled(text, reversed())
        } else {
            Line::from(text)
        });
    }
    lines.push(Line::from(""));
    lines.push(Line::styled(
        truncate_right(
            &format!("  {}", tr.t("accounts.keys")),
            usize::from(area.width),
        ),
        Style::new().add_modifier(Modifier::DIM),
    ));
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_search(state: &LookupState, tr: &Tr, focused: bool, area: Rect, frame: &mut Frame) {
    let status = state
        .status
        .map_or_else(|| tr.t("lookup.filter.any"), |s| tr.t(s.message_key()));
    let mut title = vec![Span::styled(
        format!(" {} ", tr.t(state.listing.key())),
        bold(),
    )];
    if state.fetching() || state.paging {
        title.push(Span::styled(
            format!(" {} ", tr.t("lookup.fetching")),
            reversed(),
        ));
    }
    // The filters apply to the applications' lists, not to the accounts or the profile.
    let filters = if matches!(state.listing, Listing::Accounts | Listing::Center) {
        String::new()
    } else {
        format!(
            " {}: {status} · {}: {} ",
            tr.t("lookup.filter.status"),
            tr.t("lookup.filter.period"),
            tr.t(state.period.key())
        )
    };
    let block = Block::bordered().title(Line::from(title)).title_bottom(
        Line::from(crate::ui::widgets::keys_in(&filters, area.width)).right_aligned(),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let prompt = "› ";
    let room = usize::from(inner.width).saturating_sub(width(prompt) + 1);
    // The end of a query longer than the box stays in sight, with the cursor.
    let value = state.query.value();
    let cursor = state.query.cursor_cells();
    let skip = cursor.saturating_sub(room);
    let shown: String = crate::text::truncate_left(value, width(value).saturating_sub(skip));
    let shown = truncate_right(&shown, room);
    let line = if value.is_empty() && state.listing == Listing::Search {
        Line::from(vec![
            Span::raw(prompt),
            Span::styled(
                tr.t("lookup.placeholder"),
                Style::new().add_modifier(Modifier::DIM),
            ),
        ])
    } else {
        Line::from(format!("{prompt}{shown}"))
    };
    frame.render_widget(Paragraph::new(line), inner);
    if focused && state.listing == Listing::Search && inner.width > 2 {
        let x = inner.x + (width(prompt) + cursor - skip).min(usize::from(inner.width) - 1) as u16;
        frame.set_cursor_position(Position::new(x, inner.y));
    }
}

/// Column widths of the results: number, masked IIN, status, date; the name takes the rest.
const NUMBER: usize = 15;
const IIN: usize = 13;
const STATUS: usize = 17;
const DATE: usize = 11;

fn draw_list(state: &LookupState, tr: &Tr, area: Rect, frame: &mut Frame) {
    if area.height == 0 {
        return;
    }
    let rows = state.list();
    let mut lines = Vec::new();
    // Fixed columns; a narrow terminal drops the date, then the status, then the IIN, so
    // that the name keeps at least 16 cells.
    let all = usize::from(area.width).saturating_sub(2);
    let show_date = all >= NUMBER + IIN + STATUS + DATE + 16;
    let show_status = all >= NUMBER + IIN + STATUS + 16;
    let show_iin = all >= NUMBER + IIN + 16;
    let used = NUMBER
        + if show_iin { IIN } else { 0 }
        + if show_status { STATUS } else { 0 }
        + if show_date { DATE } else { 0 };
    let name_cells = all.saturating_sub(used).max(8);
    let columns = |number: &str, name: &str, iin: &str, status: &str, date: &str| {
        let mut row = cell(number, NUMBER) + &cell(name, name_cells);
        if show_iin {
            row += &cell(iin, IIN);
        }
        if show_status {
            row += &cell(status, STATUS);
        }
        if show_date {
            row += &cell(date, DATE);
        }
        row
    };
    let last_header = if state.listing == Listing::Search {
        tr.t("lookup.column.date")
    } else {
        tr.t("lookup.column.until")
    };
    lines.push(Line::styled(
        format!(
            "  {}",
            columns(
                &tr.t("lookup.column.number"),
                &tr.t("lookup.column.name"),
                &tr.t("lookup.column.iin"),
                &tr.t("lookup.column.status"),
                &last_header,
            )
        ),
        bold(),
    ));
    let visible = usize::from(area.height).saturating_sub(2);
    if rows.is_empty() {
        let text = if state.failed {
            tr.t("lookup.failed")
        } else if let Some(hint) = state.hint().filter(|_| state.listing == Listing::Search) {
            hint.text(tr)
        } else if state.fetching() {
            tr.t("lookup.fetching")
        } else {
            tr.t("lookup.none")
        };
        lines.push(Line::from(format!("  {text}")));
    }
    // The selection stays in sight whatever the height.
    let offset = state
        .offset
        .min(state.selected)
        .max((state.selected + 1).saturating_sub(visible))
        .min(rows.len().saturating_sub(1));
    for (i, row) in rows.iter().enumerate().skip(offset).take(visible) {
        let (number, name, iin, status, date) = match row {
            Row::Draft(d) => (
                tr.t("lookup.draft"),
                d.name.clone(),
                d.masked_iin.clone(),
                tr.t("status.draft"),
                d.when.get(..10).unwrap_or(&d.when).to_owned(),
            ),
            Row::Application(r) => (
                r.number.clone(),
                r.full_name(),
                masked_iin(&r.iin),
                status_name(&r.status, tr),
                day(&r.created_at),
            ),
            Row::Account(a) => (
                a.login.clone(),
                a.display_name.clone(),
                String::new(),
                tr.t(a.role.message_key()),
                String::new(),
            ),
            Row::Due(d) => (
                d.number.clone(),
                format!("{} {}", d.surname, d.given_name),
                masked_iin(&d.iin),
                d.follow_up.as_deref().map_or_else(
                    || tr.t("status.registered"),
                    |_| tr.t("lookup.follow_up_short"),
                ),
                day(&d.until),
            ),
        };
        let selected = i == state.selected;
        let marker = if selected { "▸ " } else { "  " };
        let text = format!("{marker}{}", columns(&number, &name, &iin, &status, &date));
        lines.push(if selected {
            Line::styled(text, reversed())
        } else {
            Line::from(text)
        });
    }
    let count = rows.len();
    let footer = if state.more {
        tr.f("lookup.count_more", &[("count", &count.to_string())])
    } else if count > 0 {
        tr.f("lookup.count", &[("count", &count.to_string())])
    } else {
        String::new()
    };
    frame.render_widget(Paragraph::new(lines), area);
    if area.height > 1 && !footer.is_empty() {
        let bottom = Rect {
            y: area.y + area.height - 1,
            height: 1,
            ..area
        };
        frame.render_widget(
            Paragraph::new(
                Line::from(truncate_right(
                    &format!("  {footer}"),
                    usize::from(area.width),
                ))
                .style(Style::new().add_modifier(Modifier::DIM)),
            ),
            bottom,
        );
    }
}

/// An audit action in the reader's words (the code itself where the catalog has none).
fn audit_action(code: &str, tr: &Tr) -> String {
    let key = format!("audit.action.{}", code.replace('.', "_"));
    let text = tr.t(&key);
    if text == key { code.to_owned() } else { text }
}

/// An audit row's details in words: "number: RD-2026-000001 · paper: receipt", each key from
/// the catalog (or as it is), each value as recorded; anything not a JSON object as it is.
fn audit_details(details: Option<&str>, tr: &Tr) -> String {
    let details = details.unwrap_or("");
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str(details) else {
        return details.to_owned();
    };
    map.iter()
        .map(|(key, value)| {
            let label_key = format!("audit.detail.{key}");
            let label = tr.t(&label_key);
            let label = if label == label_key {
                key.clone()
            } else {
                label
            };
            let value = match value {
                serde_json::Value::String(s) => audit_value(key, s, tr),
                serde_json::Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(", "),
                other => other.to_string(),
            };
            format!("{label}: {value}")
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A recorded value in words where it is a code the desk knows (a status, an action).
fn audit_value(key: &str, value: &str, tr: &Tr) -> String {
    match key {
        "status" | "from" | "to" => status_name(value, tr),
        "action" => audit_action(value, tr),
        _ => value.to_owned(),
    }
}

/// The audit trail, newest first: when, who, what, which object, the details.
fn draw_audit(state: &LookupState, tr: &Tr, offset: FixedOffset, area: Rect, frame: &mut Frame) {
    let mut lines = vec![Line::styled(
        format!(
            "  {}{}{}{}{}",
            cell(&tr.t("lookup.audit.when"), 17),
            cell(&tr.t("lookup.audit.who"), 14),
            cell(&tr.t("lookup.audit.what"), 22),
            cell(&tr.t("lookup.audit.object"), 16),
            tr.t("lookup.audit.details")
        ),
        bold(),
    )];
    if state.audit.is_empty() {
        lines.push(Line::from(format!("  {}", tr.t("lookup.audit.hint"))));
    }
    let room = usize::from(area.height).saturating_sub(1);
    let details_cells = usize::from(area.width).saturating_sub(2 + 17 + 14 + 22 + 16);
    for row in state.audit.iter().take(room) {
        let object = match (&row.entity, row.entity_id) {
            (Some(e), Some(id)) => {
                let key = format!("audit.entity.{e}");
                let name = tr.t(&key);
                format!("{} #{id}", if name == key { e.clone() } else { name })
            }
            _ => String::new(),
        };
        lines.push(Line::from(format!(
            "  {}{}{}{}{}",
            cell(&record::local_time(&row.at, offset), 17),
            cell(row.operator.as_deref().unwrap_or("—"), 14),
            cell(&audit_action(&row.action, tr), 22),
            cell(&object, 16),
            truncate_right(
                &crate::i18n::printable(&audit_details(row.details.as_deref(), tr)),
                details_cells
            )
        )));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_summary(state: &LookupState, rules: &RuleSet, tr: &Tr, area: Rect, frame: &mut Frame) {
    let Some(report) = &state.summary else {
        frame.render_widget(
            Paragraph::new(format!("  {}", tr.t("lookup.fetching"))),
            area,
        );
        return;
    };
    let mut lines = vec![Line::styled(
        tr.f(
            "lookup.summary.title",
            &[("date", &report.date.format("%d.%m.%Y").to_string())],
        ),
        bold(),
    )];
    let section = |lines: &mut Vec<Line<'static>>, key: &str, rows: Vec<(String, i64)>| {
        lines.push(Line::styled(format!("  {}", tr.t(key)), bold()));
        if rows.is_empty() {
            lines.push(Line::from(format!("    {}", tr.t("checklist.none"))));
        }
        for (label, n) in rows {
            lines.push(Line::from(format!("    {}{n:>6}", cell(&label, 64))));
        }
    };
    section(
        &mut lines,
        "lookup.summary.by_status",
        report
            .by_status
            .iter()
            .map(|(c, n)| (status_name(c, tr), *n))
            .collect(),
    );
    section(
        &mut lines,
        "lookup.summary.by_reason",
        report
            .by_reason
            .iter()
            .map(|(code, n)| (reason_text(rules, code, tr), *n))
            .collect(),
    );
    section(
        &mut lines,
        "lookup.summary.closed",
        report
            .closed
            .iter()
            .map(|(code, n)| (tr.t(&format!("lookup.summary.closed_as.{code}")), *n))
            .collect(),
    );
    section(
        &mut lines,
        "lookup.summary.by_operator",
        report
            .by_operator
            .iter()
            .map(|(o, n)| (o.clone().unwrap_or_else(|| tr.t("shell.no_operator")), *n))
            .collect(),
    );
    if let Some((id, hash)) = &report.anchor {
        lines.push(Line::styled(
            format!("  {}", tr.t("lookup.summary.anchor")),
            bold(),
        ));
        lines.push(Line::from(format!("    #{id} {hash}")));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// A refusal reason's text in the rule set's vocabulary (its code when the set lacks it).
pub fn reason_text(rules: &RuleSet, code: &str, tr: &Tr) -> String {
    rules
        .vocabulary
        .reasons
        .get(code)
        .map_or_else(|| code.to_owned(), |t| t.get(tr.lang).to_owned())
}

fn draw_record(
    open: &super::RecordState,
    rules: &RuleSet,
    tr: &Tr,
    offset: FixedOffset,
    area: Rect,
    frame: &mut Frame,
) {
    let block = Block::bordered().title(Line::styled(
        crate::ui::widgets::title_in(&format!(" {} ", tr.t("lookup.record.title")), area.width),
        bold(),
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Wrapped here, not by the paragraph: a continued line is indented under its text, and
    // the scroll counts the lines as drawn, so the end of the record (its "why") is reached.
    let columns = usize::from(inner.width.max(1));
    let mut lines: Vec<Line> = Vec::new();
    for line in record::lines(&open.record, rules, tr, offset) {
        match line {
            RecordLine::Heading(h) => {
                for part in crate::text::wrap_to(&h, "■ ", 2, columns) {
                    lines.push(Line::styled(part, bold()));
                }
            }
            RecordLine::Text(t) if crate::text::width(&t) <= columns => lines.push(Line::from(t)),
            RecordLine::Text(t) => {
                let lead = t.len() - t.trim_start().len();
                let first = " ".repeat(lead);
                let indent = (lead + 2).min(columns / 2);
                lines.extend(
                    crate::text::wrap_to(t.trim_start(), &first, indent, columns)
                        .into_iter()
                        .map(Line::from),
                );
            }
        }
    }
    let total = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let scroll = open.scroll.min(total.saturating_sub(inner.height.max(1)));
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

fn draw_editor(editor: &RecordEditor, rules: &RuleSet, tr: &Tr, area: Rect, frame: &mut Frame) {
    let title = match editor.kind {
        EditorKind::Status => tr.t("lookup.editor.status_title"),
        EditorKind::Revoke => tr.t("lookup.editor.revoke_title"),
        EditorKind::NewAccount => tr.t("accounts.new_title"),
        EditorKind::Account => tr.t("accounts.title"),
        EditorKind::Center => tr.t("center.form_title"),
    };
    // The box is as wide as the area; its lines are laid out first, its height follows them.
    let columns = usize::from(area.width.saturating_sub(2));
    let mut lines = Vec::new();
    let mut cursor = None;
    let mut focus_row = 0;
    let label_cells =
        crate::ui::widgets::label_column(editor.parts.iter().map(|(l, _)| tr.t(l)), columns);
    for (i, (label, part)) in editor.parts.iter().enumerate() {
        if !editor.visible(i) {
            continue;
        }
        let focused = i == editor.focus;
        if focused {
            focus_row = lines.len();
        }
        let marker = if focused { "▸ " } else { "  " };
        let label = cell(&tr.t(label), label_cells);
        let value = match part {
            Part::Choice { .. } => {
                let v = part.value();
                let shown = match (editor.kind, *label_key(editor, i)) {
                    (EditorKind::Status, "lookup.editor.status") => {
                        match v.strip_prefix(OVERRIDE) {
                            Some(code) => tr.f(
                                "lookup.editor.override",
                                &[("status", &status_name(code, tr))],
                            ),
                            None => status_name(v, tr),
                        }
                    }
                    (EditorKind::Status, _) => reason_text(rules, v, tr),
                    (EditorKind::NewAccount | EditorKind::Account, "accounts.role") => {
                        crate::core::Role::from_code(v)
                            .map_or(v.to_owned(), |r| tr.t(r.message_key()))
                    }
                    (EditorKind::NewAccount | EditorKind::Account | EditorKind::Center, _) => {
                        tr.t(&format!("accounts.action_{v}"))
                    }
                    (EditorKind::Revoke, _) => {
                        let (kind, name) = v.split_once('\u{1f}').unwrap_or((v, ""));
                        format!("{} — {name}", tr.t(&format!("lookup.consent_kind.{kind}")))
                    }
                };
                format!("‹ {shown} ›")
            }
            Part::Text(t) => {
                // A password is shown as dots, one a character.
                let secret = editor.is_secret(i);
                if focused {
                    let at = if secret { t.cursor() } else { t.cursor_cells() };
                    cursor = Some((lines.len(), width(marker) + width(&label) + at));
                }
                if secret {
                    "•".repeat(t.value().chars().count())
                } else if focused {
                    t.value().to_owned()
                } else {
                    // Read whole when in focus; cut with "…" otherwise.
                    truncate_right(t.value(), columns.saturating_sub(2 + label_cells))
                }
            }
        };
        let style = if focused { reversed() } else { Style::new() };
        let lead = format!("{marker}{label}");
        let room = columns.saturating_sub(width(&lead));
        if matches!(part, Part::Choice { .. }) && width(&value) > room && room >= 8 {
            // A long choice (a refusal reason) is read whole: wrapped under its value.
            let pad = " ".repeat(width(&lead));
            let parts = crate::text::wrap_to(&value, &pad, pad.len(), columns);
            for (n, text) in parts.into_iter().enumerate() {
                let head = if n == 0 { lead.clone() } else { pad.clone() };
                let text = text.get(pad.len()..).unwrap_or_default().to_owned();
                lines.push(Line::from(vec![Span::raw(head), Span::styled(text, style)]));
            }
            continue;
        }
        lines.push(Line::from(vec![
            Span::raw(lead),
            Span::styled(
                if value.is_empty() {
                    " ".to_owned()
                } else {
                    value
                },
                style,
            ),
        ]));
    }
    if let Some(problem) = &editor.problem {
        let line = Line::styled(format!("  ✗ {}", problem.text(tr)), bold());
        lines.extend(crate::ui::widgets::hanging(vec![line], columns));
    }
    let rows = lines.len() as u16 + 2;
    let popup = crate::ui::popup::below_top(area, 2, rows);
    let block = Block::bordered()
        .title(Line::styled(
            crate::ui::widgets::title_in(
                &if editor.number.is_empty() {
                    format!(" {title} ")
                } else {
                    format!(" {title} · {} ", editor.number)
                },
                popup.width,
            ),
            bold(),
        ))
        .title_bottom(
            Line::from(crate::ui::widgets::keys_in(
                &format!(" {} ", tr.t("lookup.editor.keys")),
                popup.width,
            ))
            .right_aligned(),
        );
    crate::ui::widgets::draw_form(frame, popup, block, lines, focus_row, cursor);
}

fn label_key(editor: &RecordEditor, part: usize) -> &&'static str {
    &editor.parts[part].0
}
