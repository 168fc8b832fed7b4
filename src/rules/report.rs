//! The checklist as text for a person: translated headings, the vocabulary's own texts in the
//! chosen language, and for each item the rules and legal basis behind it.

use std::fmt::Write;

use super::engine::Evaluation;
use super::model::{RuleSet, Texts};
use crate::i18n::Tr;

fn text<'a>(map: &'a std::collections::BTreeMap<String, Texts>, id: &'a str, tr: &Tr) -> &'a str {
    map.get(id).map_or(id, |t| t.get(tr.lang))
}

fn rule_title<'a>(set: &'a RuleSet, id: &'a str, tr: &Tr) -> &'a str {
    set.rules_with_id(id)
        .next()
        .map_or(id, |r| r.title.get(tr.lang))
}

/// The legal basis of the rules `ids` in words: each act's short title, with the point.
fn basis_text(set: &RuleSet, ids: &[String], tr: &Tr) -> String {
    let mut parts: Vec<String> = Vec::new();
    for rule in ids.iter().filter_map(|id| set.rules_with_id(id).next()) {
        for reference in &rule.basis {
            let title = set
                .law(&reference.law)
                .map_or(reference.law.as_str(), |l| l.short.get(tr.lang));
            let part = match &reference.point {
                Some(point) => format!("{title} ({point})"),
                None => title.to_owned(),
            };
            if !parts.contains(&part) {
                parts.push(part);
            }
        }
    }
    parts.join("; ")
}

/// One numbered document or consent: its heading, one detail line (alternatives or forms),
/// and the legal basis with the rules behind it.
fn write_item(
    out: &mut String,
    number: usize,
    heading: &str,
    (label, detail): (String, String),
    rules: &[String],
    set: &RuleSet,
    tr: &Tr,
) {
    let _ = writeln!(out, "  {number}. {heading}");
    let _ = writeln!(out, "     {label}: {detail}");
    let basis = basis_text(set, rules, tr);
    let _ = writeln!(
        out,
        "     {}: {basis} [{}]",
        tr.t("checklist.basis"),
        rules.join(", ")
    );
}

/// Renders an evaluation; `set` supplies the texts of ids.
pub fn render(evaluation: &Evaluation, set: &RuleSet, tr: &Tr) -> String {
    let v = &set.vocabulary;
    let mut out = String::new();
    let e = evaluation;
    let _ = writeln!(
        out,
        "{}",
        tr.f(
            "checklist.heading",
            &[
                ("date", &e.date.to_string()),
                ("ruleset", &e.ruleset.id),
                ("version", &e.ruleset.version)
            ]
        )
    );
    if e.what_if {
        let _ = writeln!(out, "{}", tr.t("checklist.what_if"));
    }
    let none = tr.t("checklist.none");
    let registration = e.registration.as_ref().map_or(none.clone(), |r| {
        tr.t(&format!("checklist.registration.{r}"))
    });
    let channel = e
        .channel
        .as_ref()
        .map_or(none.clone(), |c| tr.t(&format!("checklist.channel.{c}")));
    let _ = writeln!(
        out,
        "{}: {}",
        tr.t("checklist.decision_label"),
        tr.t(&format!("checklist.decision.{}", e.decision))
    );
    for reason in &e.reasons {
        let _ = writeln!(
            out,
            "  {}: {}",
            tr.t("checklist.reason"),
            text(&v.reasons, reason, tr)
        );
    }
    for conflict in &e.conflicts {
        let _ = writeln!(
            out,
            "  {}",
            tr.f(
                "checklist.conflict",
                &[
                    ("field", &conflict.field),
                    ("rules", &conflict.rules.join(", "))
                ]
            )
        );
    }
    let _ = writeln!(
        out,
        "{}: {}",
        tr.t("checklist.registration_label"),
        registration
    );
    let _ = writeln!(out, "{}: {}", tr.t("checklist.channel_label"), channel);

    let _ = writeln!(
        out,
        "\n{}",
        tr.n("checklist.documents", e.documents.len() as u64, &[])
    );
    for (i, d) in e.documents.iter().enumerate() {
        let optional = if d.optional {
            format!(" ({})", tr.t("checklist.optional"))
        } else {
            String::new()
        };
        let heading = format!(
            "{}{optional} — {}",
            text(&v.requirements, &d.id, tr),
            text(&v.parties, &d.party, tr)
        );
        let docs: Vec<&str> = d.one_of.iter().map(|x| text(&v.documents, x, tr)).collect();
        let detail = (tr.t("checklist.any_of"), docs.join(" | "));
        write_item(&mut out, i + 1, &heading, detail, &d.rules, set, tr);
    }
    let _ = writeln!(
        out,
        "\n{}",
        tr.n("checklist.consents", e.consents.len() as u64, &[])
    );
    for (i, c) in e.consents.iter().enumerate() {
        let count = c
            .count
            .map_or_else(|| tr.t("checklist.count_unknown"), |n| n.to_string());
        let heading = format!(
            "{} — {} × {count}",
            text(&v.consents, &c.id, tr),
            text(&v.parties, &c.from, tr)
        );
        let forms: Vec<String> = c
            .forms
            .iter()
            .map(|f| tr.t(&format!("checklist.form.{f}")))
            .collect();
        let detail = (tr.t("checklist.forms"), forms.join(", "));
        write_item(&mut out, i + 1, &heading, detail, &c.rules, set, tr);
    }
    if !e.notices.is_empty() {
        let _ = writeln!(out, "\n{}", tr.t("checklist.notices"));
        for n in &e.notices {
            let _ = writeln!(out, "  • {}", n.texts().get(tr.lang));
        }
    }
    let assumed: Vec<&str> = e
        .fired
        .iter()
        .filter(|f| f.assumed)
        .map(|f| rule_title(set, &f.rule, tr))
        .collect();
    if !assumed.is_empty() {
        let _ = writeln!(out, "\n{}", tr.t("checklist.assumptions"));
        for title in assumed {
            let _ = writeln!(out, "  • {title}");
        }
    }
    if !e.pending.is_empty() {
        let _ = writeln!(out, "\n{}", tr.t("checklist.pending"));
        for p in &e.pending {
            let _ = writeln!(
                out,
                "  • {} — {}: {}",
                rule_title(set, &p.rule, tr),
                tr.t("checklist.needs"),
                p.missing.join(", ")
            );
        }
    }
    if !e.upcoming.is_empty() {
        let _ = writeln!(out, "\n{}", tr.t("checklist.upcoming"));
        for u in &e.upcoming {
            let when = u
                .effective_from
                .map_or_else(|| tr.t("checklist.date_unknown"), |d| d.to_string());
            let status = tr.t(&format!("checklist.status.{}", u.status));
            let _ = writeln!(
                out,
                "  • {} ({status}, {when})",
                rule_title(set, &u.rule, tr)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::rules::{EvalOptions, FactTable, evaluate, loader, scenarios};

    #[test]
    fn report_snapshots_in_each_language() {
        let files = loader::embedded();
        let set = loader::parse(&files).unwrap().set;
        let cases = scenarios::parse(&files).unwrap();
        let case = cases
            .iter()
            .find(|c| c.scenario.name.starts_with("not an owner, three owners"))
            .unwrap();
        let table = FactTable::build(&case.scenario.facts, case.scenario.date).unwrap();
        let result = evaluate(&set, &table, case.scenario.date, EvalOptions::default());
        for lang in Lang::ALL {
            insta::assert_snapshot!(
                format!("report_{}", lang.code()),
                render(&result, &set, &Tr::new(lang))
            );
        }
    }
}
