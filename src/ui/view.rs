//! Draws the shell around every screen: title bar, tab bar, the screen body, a notice line and
//! the key-hint bar; the help overlay on top when open. Meaning is never carried by colour
//! alone: focus and the active tab use reverse video and a marker symbol, so the desk reads the
//! same on a monochrome terminal or with `NO_COLOR`.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::keymap::{self, Context};
use super::{AppState, Overlay, Screen, help};
use crate::i18n::Tr;
use crate::text::{truncate_left, width};

/// Smallest terminal the shell is drawn in; below it a "too small" message is shown.
pub const MIN_WIDTH: u16 = 20;
pub const MIN_HEIGHT: u16 = 5;

fn reversed() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

pub fn view(state: &AppState, frame: &mut Frame) {
    let area = frame.area();
    let tr = state.tr();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        draw_too_small(&tr, area, frame);
        return;
    }
    // A notice wraps to at most three lines (a rule error with its path can be long).
    let notice_text = state.notice.as_ref().map(|n| format!("» {}", n.text(&tr)));
    let notice_rows = notice_text.as_ref().map_or(0, |t| {
        let lines = width(t).div_ceil(usize::from(area.width).max(1));
        lines.clamp(1, 3) as u16
    });
    let lesson_rows = state
        .lesson
        .as_ref()
        .map_or(0, |bar| super::training::bar_height(bar, &tr, area));
    let [title, tabs, body, lesson, notice, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(lesson_rows),
        Constraint::Length(notice_rows),
        Constraint::Length(1),
    ])
    .areas(area);

    draw_title_bar(state, &tr, title, frame);
    if let Some(form) = state.sign_in_form() {
        // Nothing but the form: no screen, no list that could show a person. The notice
        // stays (what the start found: a new database, an unclean end; `lock` clears it).
        let form_area = Rect {
            height: tabs.height + body.height,
            ..tabs
        };
        super::sign_in::draw(form, &tr, form_area, frame);
        if let Some(text) = notice_text {
            frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), notice);
        }
        draw_hints(state.context(), &tr, hints, frame);
        return;
    }
    draw_tabs(state.screen, &tr, tabs, frame);
    draw_body(state, &tr, body, frame);
    if let Some(bar) = &state.lesson {
        super::training::draw_bar(bar, &tr, lesson, frame);
    }
    if let Some(text) = notice_text {
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), notice);
    }
    draw_hints(state.context(), &tr, hints, frame);
    for overlay in state.overlays() {
        match overlay {
            Overlay::Drafts(drafts) => super::drafts::draw(drafts, &tr, body, frame),
            Overlay::Gate(gate) => {
                super::submit::draw_gate(gate, state.not_required(), &state.rules, &tr, body, frame)
            }
            Overlay::Submitted(number) => {
                let online = state
                    .evaluation()
                    .is_some_and(|e| e.channel.as_deref() == Some("online"));
                super::submit::draw_submitted(number, online, &tr, body, frame)
            }
            Overlay::Closed(_) => super::submit::draw_closed(&tr, body, frame),
            Overlay::Help(help_state, _) => help::draw(&tr, *help_state, body, frame),
            // The sign-in was drawn alone, above.
            Overlay::SignIn(..) => {}
        }
    }
}

/// One line about the live result, shown above the form: what the desk will do, and whether
/// answers are still missing.
fn summary(state: &AppState, tr: &Tr) -> Option<String> {
    let evaluation = state.evaluation()?;
    if state.case.is_empty() {
        return None;
    }
    let decision = tr.t(&format!("checklist.decision.{}", evaluation.decision));
    let mut line = format!("■ {}: {decision}", tr.t("checklist.decision_label"));
    if evaluation.provisional {
        line.push_str(&format!(" · {}", tr.t("intake.provisional")));
    }
    Some(line)
}

fn draw_body(state: &AppState, tr: &Tr, area: Rect, frame: &mut Frame) {
    match state.screen {
        Screen::Intake => {
            let view = super::intake::view::IntakeView {
                state: &state.intake,
                case: &state.case,
                today: state.today,
                summary: summary(state, tr),
            };
            super::intake::view::draw(&view, tr, area, frame);
        }
        Screen::Checklist => match &state.result {
            super::CaseResult::Ready(evaluation) => {
                super::checklist::draw(
                    &state.checklist,
                    &state.case,
                    evaluation,
                    &state.rules,
                    tr,
                    area,
                    frame,
                );
                if let Some(editor) = &state.checklist.editor {
                    super::checklist::marks::draw(editor, &state.rules, tr, area, frame);
                }
            }
            super::CaseResult::Problems(problems) => {
                super::checklist::draw_problem(problems, tr, area, frame);
            }
        },
        Screen::Consent => match &state.result {
            super::CaseResult::Ready(evaluation) => super::consents::draw(
                &state.consents,
                &state.case.consents,
                evaluation,
                &state.rules,
                state.center.as_deref(),
                tr,
                area,
                frame,
            ),
            super::CaseResult::Problems(problems) => {
                super::checklist::draw_problem(problems, tr, area, frame);
            }
        },
        Screen::Lookup => {
            let focused = state.context() == super::keymap::Context::Search;
            super::lookup::view::draw(
                &state.lookup,
                &state.rules,
                tr,
                state.utc_offset,
                focused,
                area,
                frame,
            );
        }
    }
}

fn draw_too_small(tr: &Tr, area: Rect, frame: &mut Frame) {
    let size = format!("{}×{} < {MIN_WIDTH}×{MIN_HEIGHT}", area.width, area.height);
    let text = vec![Line::from(tr.t("shell.too_small")), Line::from(size)];
    let paragraph = Paragraph::new(text)
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true });
    frame.render_widget(paragraph, area);
}

fn draw_title_bar(state: &AppState, tr: &Tr, area: Rect, frame: &mut Frame) {
    let bar = reversed();
    let mut left = vec![Span::styled(" regdesk ", bar.add_modifier(Modifier::BOLD))];
    if state.session.training {
        // Loud on any terminal: blinking is unreliable, so symbols, bold and underline.
        left.push(Span::styled(
            format!(" ▲ {} ▲ ", tr.t("shell.training")),
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        ));
    }
    let operator = state
        .session
        .operator
        .clone()
        .unwrap_or_else(|| tr.t("shell.no_operator"));
    let right = format!(
        " {}: {} │ {} ",
        tr.t("shell.operator"),
        operator,
        state.lang.code().to_uppercase()
    );
    // On a narrow terminal the operator's name is kept (cut with "…"), their label goes.
    let left_width = left.iter().map(|s| width(&s.content)).sum::<usize>();
    let avail = usize::from(area.width).saturating_sub(left_width);
    let right = if width(&right) <= avail {
        right
    } else {
        let lang = format!(" │ {} ", state.lang.code().to_uppercase());
        let name = crate::text::truncate_right(&operator, avail.saturating_sub(width(&lang) + 1));
        crate::text::truncate_right(&format!(" {name}{lang}"), avail)
    };
    let used = left_width + width(&right);
    let room = usize::from(area.width).saturating_sub(used);
    let database_label = format!(" {}: ", tr.t("shell.database"));
    let database = if room > width(&database_label) + 4 {
        let path = truncate_left(&state.session.database, room - width(&database_label) - 1);
        format!("{database_label}{path}")
    } else {
        String::new()
    };
    let filler = room.saturating_sub(width(&database));
    left.push(Span::styled(database, bar));
    left.push(Span::styled(" ".repeat(filler), bar));
    left.push(Span::styled(right, bar));
    frame.render_widget(Paragraph::new(Line::from(left)), area);
}

fn draw_tabs(current: Screen, tr: &Tr, area: Rect, frame: &mut Frame) {
    let mut spans = Vec::new();
    let mut used = 0;
    for screen in Screen::ALL {
        let label = tr.t(&format!("{}.short", screen.key()));
        // A tab is shown whole or not at all.
        used += width(&label) + 3;
        if used > usize::from(area.width) + 1 {
            break;
        }
        if screen == current {
            spans.push(Span::styled(
                format!("▸{label}◂"),
                reversed().add_modifier(Modifier::BOLD),
            ));
        } else {
            spans.push(Span::raw(format!(" {label} ")));
        }
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The hint bar: as many "key label" pairs of the current context as fit, in table order.
fn draw_hints(context: Context, tr: &Tr, area: Rect, frame: &mut Frame) {
    let mut spans = Vec::new();
    let mut used = 0usize;
    // The keys of what is in front first (a list's own keys), then F8 (the step every case
    // is heading for), then quitting and the language, then the screen switches: when the
    // bar is short, what matters most stays.
    let mut bindings: Vec<_> = keymap::bindings_for(context)
        .filter(|b| b.hint_key.is_some())
        .collect();
    bindings.sort_by_key(|b| match b.context {
        c if c == context => 0,
        _ if b.action == keymap::Action::Submit => 1,
        Context::Always => 2,
        _ => 3,
    });
    // F8 comes right after the three first keys of what is in front (a list's filters can
    // wait; the step every case is heading for cannot). Not over a record, whose own keys
    // (status, revoke) are what the operator is there for.
    if let Some(at) = bindings
        .iter()
        .position(|b| b.action == keymap::Action::Submit && b.context != context)
        .filter(|_| context != Context::Record)
    {
        let f8 = bindings.remove(at);
        bindings.insert(at.min(3), f8);
    }
    for binding in bindings {
        let Some(hint_key) = binding.hint_key else {
            continue;
        };
        let key = binding.keys[0].label;
        let label = tr.t(hint_key);
        let cost = width(key) + width(&label) + 3;
        if used + cost > usize::from(area.width) {
            break;
        }
        used += cost;
        spans.push(Span::styled(key, reversed().add_modifier(Modifier::BOLD)));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
