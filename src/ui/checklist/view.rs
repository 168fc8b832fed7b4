//! How the checklist is drawn: each line with its mark, and under an open line why it is
//! there (the rules, their acts, the facts that made them fire).

use super::*;

/// Why a line is there: each rule with its act, and the facts that made it fire.
fn why(evaluation: &Evaluation, set: &RuleSet, rules: &[String], tr: &Tr) -> Vec<String> {
    let mut out = Vec::new();
    for id in rules {
        let Some(rule) = set.rules_with_id(id).next() else {
            continue;
        };
        let basis: Vec<String> = rule
            .basis
            .iter()
            .map(|b| {
                let law = set
                    .law(&b.law)
                    .map_or(b.law.as_str(), |l| l.short.get(tr.lang));
                match set.point_text(b, tr.lang) {
                    Some(point) => format!("{law} ({point})"),
                    None => law.to_owned(),
                }
            })
            .collect();
        out.push(format!(
            "      {} — {}",
            rule.title.get(tr.lang),
            basis.join("; ")
        ));
        if let Some(fired) = evaluation.fired.iter().find(|f| &f.rule == id)
            && !fired.facts.is_empty()
        {
            let facts: Vec<String> = fired
                .facts
                .iter()
                .map(|(fact, value)| {
                    let question = if fact == "applicant.age" {
                        tr.t("checklist.age")
                    } else {
                        field_labels(std::slice::from_ref(fact), tr)
                    };
                    let code = match value.as_str() {
                        "true" => "yes",
                        "false" => "no",
                        other => other,
                    };
                    // Numbers are shown as they are; codes in the operator's words.
                    let value = if code.parse::<f64>().is_ok() {
                        code.to_owned()
                    } else {
                        tr.t(&format!("choice.{code}"))
                    };
                    format!("{question}: {value}")
                })
                .collect();
            out.push(format!(
                "        {}: {}",
                tr.t("checklist.because"),
                facts.join("; ")
            ));
        }
        if rule.assumed {
            out.push(format!("        {}", tr.t("checklist.assumed_rule")));
        }
    }
    out
}

fn mark_symbol(mark: Option<&Mark>) -> &'static str {
    match mark.map(|m| m.state) {
        None => "[ ]",
        Some(MarkState::Presented) => "[✓]",
        Some(MarkState::NotAvailable) => "[✗]",
    }
}

pub fn draw(
    state: &ChecklistState,
    case: &Case,
    evaluation: &Evaluation,
    set: &RuleSet,
    tr: &Tr,
    area: Rect,
    frame: &mut Frame,
) {
    let v = &set.vocabulary;
    let text = |map: &BTreeMap<String, crate::rules::model::Texts>, id: &str| {
        map.get(id)
            .map_or(id.to_owned(), |t| t.get(tr.lang).to_owned())
    };
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line> = Vec::new();
    // The banner: what the desk does with this case, in words to read out.
    let decision = tr.t(&format!("checklist.decision.{}", evaluation.decision));
    let registration = evaluation.registration.as_ref().map_or_else(
        || tr.t("checklist.none"),
        |r| tr.t(&format!("checklist.registration.{r}")),
    );
    let channel = evaluation.channel.as_ref().map_or_else(
        || tr.t("checklist.none"),
        |c| tr.t(&format!("checklist.channel.{c}")),
    );
    lines.push(Line::styled(
        format!(
            "■ {}: {} · {}: {} · {}: {}",
            tr.t("checklist.decision_label"),
            decision.to_uppercase(),
            tr.t("checklist.registration_label"),
            registration,
            tr.t("checklist.channel_label"),
            channel
        ),
        bold.add_modifier(Modifier::REVERSED),
    ));
    lines.push(Line::raw(tr.f(
        "checklist.stamp",
        &[
            ("ruleset", &evaluation.ruleset.id),
            ("version", &evaluation.ruleset.version),
            (
                "sha",
                &evaluation.ruleset.sha256[..12.min(evaluation.ruleset.sha256.len())],
            ),
        ],
    )));
    for reason in &evaluation.reasons {
        lines.push(Line::raw(format!(
            "  {}: {}",
            tr.t("checklist.reason"),
            text(&v.reasons, reason)
        )));
    }
    if evaluation.provisional {
        lines.push(Line::styled(
            tr.f(
                "checklist.provisional",
                &[("questions", &field_labels(&evaluation.missing, tr))],
            ),
            bold,
        ));
    }
    let mut index = 0usize;
    let mut selected_line = 0usize;
    let mut push_row = |lines: &mut Vec<Line>, label: String, rules: &[String], id: &str| {
        let selected = index == state.selected;
        if selected {
            selected_line = lines.len();
        }
        let marker = if selected { "▸" } else { " " };
        let style = if selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        lines.push(Line::styled(format!("{marker} {label}"), style));
        if state.expanded.contains(id) {
            for line in why(evaluation, set, rules, tr) {
                lines.push(Line::raw(line));
            }
        }
        index += 1;
    };
    if !evaluation.documents.is_empty() {
        lines.push(Line::styled(
            tr.n(
                "checklist.documents",
                evaluation.documents.len() as u64,
                &[],
            ),
            bold,
        ));
    }
    for d in &evaluation.documents {
        let optional = if d.optional {
            format!(" ({})", tr.t("checklist.optional"))
        } else {
            String::new()
        };
        let alternatives: Vec<String> = d.one_of.iter().map(|x| text(&v.documents, x)).collect();
        let mark = case.marks.get(&d.id);
        let noted = mark
            .map(|m| super::marks::describe(m, set, tr))
            .filter(|t| !t.is_empty())
            .map_or(String::new(), |t| format!(" ({t})"));
        let label = format!(
            "{} {}{optional} — {}; {}: {}{noted}",
            mark_symbol(mark),
            text(&v.requirements, &d.id),
            text(&v.parties, &d.party),
            tr.t(crate::rules::report::one_of_label(alternatives.len())),
            alternatives.join(" | ")
        );
        push_row(&mut lines, label, &d.rules, &d.id);
        if mark.is_some_and(|m| m.state == MarkState::NotAvailable)
            && let Some(advice) = v.if_missing.get(&d.id)
        {
            lines.push(Line::raw(format!("      → {}", advice.get(tr.lang))));
        }
    }
    if !evaluation.consents.is_empty() {
        lines.push(Line::styled(
            tr.n("checklist.consents", evaluation.consents.len() as u64, &[]),
            bold,
        ));
    }
    for c in &evaluation.consents {
        let count = c
            .count
            .map_or_else(|| tr.t("checklist.count_unknown"), |n| n.to_string());
        // Only the records of the consent screen speak for a consent (no tick of its own).
        let recorded = crate::ui::consents::recorded_state(c, &case.consents).map(Mark::simple);
        let mark = recorded.as_ref();
        let label = format!(
            "{} {} — {} × {count}",
            mark_symbol(mark),
            text(&v.consents, &c.id),
            text(&v.parties, &c.from)
        );
        push_row(&mut lines, label, &c.rules, &c.id);
    }
    if !evaluation.pending.is_empty() {
        lines.push(Line::styled(tr.t("checklist.pending"), bold));
    }
    for p in &evaluation.pending {
        let title = set
            .rules_with_id(&p.rule)
            .next()
            .map_or(p.rule.clone(), |r| r.title.get(tr.lang).to_owned());
        let label = format!("? {title} — {} ↵", field_labels(&p.missing, tr));
        push_row(&mut lines, label, std::slice::from_ref(&p.rule), &p.rule);
    }
    if !evaluation.notices.is_empty() {
        lines.push(Line::styled(tr.t("checklist.notices"), bold));
        for n in &evaluation.notices {
            lines.push(Line::raw(format!("  • {}", n.texts().get(tr.lang))));
        }
    }
    if !evaluation.upcoming.is_empty() {
        lines.push(Line::styled(tr.t("checklist.upcoming"), bold));
        for u in &evaluation.upcoming {
            let title = set
                .rules_with_id(&u.rule)
                .next()
                .map_or(u.rule.clone(), |r| r.title.get(tr.lang).to_owned());
            let when = upcoming_when(&u.status, u.effective_from, tr);
            lines.push(Line::raw(format!("  • {title} ({when})")));
        }
    }
    let block = Block::bordered().title(Line::styled(
        crate::ui::widgets::title_in(&format!(" {} ", tr.t("screen.checklist.title")), area.width),
        bold,
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // Wrapped here, each continued line under its text, so that the scroll counts the lines
    // as drawn. The decision banner stays on top whatever is scrolled below it.
    let columns = usize::from(inner.width);
    let mut logical = lines.into_iter();
    let mut banner = crate::ui::widgets::hanging(logical.next().into_iter().collect(), columns);
    // On a small terminal the banner takes at most a third of the box, cut with "…".
    let most = usize::from(inner.height / 3).max(1);
    if banner.len() > most {
        let style = banner[0].style;
        let tail: Vec<String> = banner
            .drain(most - 1..)
            .map(|l| l.to_string().trim().to_owned())
            .collect();
        let lead = if most == 1 { "" } else { "  " };
        let last = format!("{lead}{}", tail.join(" "));
        banner.push(Line::styled(
            crate::text::truncate_right(&last, columns),
            style,
        ));
    }
    let mut body: Vec<Line> = Vec::new();
    let mut selected_rows = 0..0;
    for (i, line) in logical.enumerate() {
        let start = body.len();
        body.extend(crate::ui::widgets::hanging(vec![line], columns));
        if i + 1 == selected_line {
            selected_rows = start..body.len();
        }
    }
    let banner_rows = (banner.len() as u16).min(inner.height);
    let [top, rest] =
        Layout::vertical([Constraint::Length(banner_rows), Constraint::Fill(1)]).areas(inner);
    frame.render_widget(Paragraph::new(banner), top);
    // The selected line whole, and two lines after it when there is room.
    let rows = usize::from(rest.height);
    let scroll = (selected_rows.end + 2)
        .min(body.len())
        .saturating_sub(rows)
        .min(selected_rows.start);
    frame.render_widget(Paragraph::new(body).scroll((scroll as u16, 0)), rest);
}

/// The checklist when the case cannot be evaluated: the facts contradict each other, or the
/// date lies outside what the rule set covers.
pub fn draw_problem(problems: &[Message], tr: &Tr, area: Rect, frame: &mut Frame) {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let mut lines = vec![Line::styled(tr.t("checklist.cannot_evaluate"), bold)];
    for p in problems {
        lines.push(Line::raw(format!("  ✗ {}", p.text(tr))));
    }
    crate::ui::widgets::titled_text(lines, &tr.t("screen.checklist.title"), area, frame);
}
