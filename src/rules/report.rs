//! The checklist as text for a person: translated headings, the vocabulary's own texts in the
//! chosen language, and for each item the rules and legal basis behind it.

use std::fmt::Write;

use super::engine::Evaluation;
use super::model::{RuleSet, Texts};
use crate::i18n::{Tr, human_date};

fn text<'a>(map: &'a std::collections::BTreeMap<String, Texts>, id: &'a str, tr: &Tr) -> &'a str {
    map.get(id).map_or(id, |t| t.get(tr.lang))
}

fn rule_title<'a>(set: &'a RuleSet, id: &'a str, tr: &Tr) -> &'a str {
    set.rules_with_id(id)
        .next()
        .map_or(id, |r| r.title.get(tr.lang))
}

/// The legal basis of the rules `ids` in words: each act's short title, with the point.
/// "any of" before two or more documents, "document" before one (never "any of" one).
pub fn one_of_label(count: usize) -> &'static str {
    if count > 1 {
        "checklist.any_of"
    } else {
        "checklist.the_document"
    }
}

pub fn basis_text(set: &RuleSet, ids: &[String], tr: &Tr) -> String {
    let mut parts: Vec<String> = Vec::new();
    for rule in ids.iter().filter_map(|id| set.rules_with_id(id).next()) {
        for reference in &rule.basis {
            let title = set
                .law(&reference.law)
                .map_or(reference.law.as_str(), |l| l.short.get(tr.lang));
            let part = match set.point_text(reference, tr.lang) {
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

/// The questions that make the facts `ids` known, in the reader's language, each once.
pub fn questions(ids: &[String], tr: &Tr) -> String {
    let mut asked: Vec<String> = Vec::new();
    for id in ids {
        let question = tr.t(&format!("fact.question.{id}"));
        if !asked.contains(&question) {
            asked.push(question);
        }
    }
    asked.join("; ")
}

/// When an upcoming rule starts, in words: "in force from 24.11.2025", "adopted, start date
/// not set", "draft".
pub fn upcoming_when(status: &str, from: Option<chrono::NaiveDate>, tr: &Tr) -> String {
    match (status, from) {
        ("draft", _) => tr.t("checklist.upcoming_draft"),
        ("adopted", None) => tr.t("checklist.upcoming_adopted_undated"),
        ("adopted", Some(d)) => tr.f("checklist.upcoming_adopted", &[("date", &human_date(d))]),
        (_, Some(d)) => tr.f("checklist.upcoming_in_force", &[("date", &human_date(d))]),
        (_, None) => tr.t("checklist.upcoming_adopted_undated"),
    }
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
    // The legal basis in words; the rule ids stay in the JSON, never in text a person reads.
    let basis = basis_text(set, rules, tr);
    let _ = writeln!(out, "     {}: {basis}", tr.t("checklist.basis"));
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
                ("date", &human_date(e.date)),
                ("ruleset", &e.ruleset.id),
                ("version", &e.ruleset.version)
            ]
        )
    );
    if e.what_if {
        let _ = writeln!(out, "{}", tr.t("checklist.what_if"));
    }
    if e.provisional {
        let _ = writeln!(
            out,
            "{}",
            tr.f(
                "checklist.provisional",
                &[("questions", &questions(&e.missing, tr))]
            )
        );
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
        let detail = (tr.t(one_of_label(docs.len())), docs.join(" | "));
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
    // Each assumption once: the rules that encode one, and the acts whose details are not
    // confirmed (cited as a basis, they are not marked on every line).
    let mut assumed: Vec<String> = e
        .fired
        .iter()
        .filter(|f| f.assumed)
        .map(|f| rule_title(set, &f.rule, tr).to_owned())
        .collect();
    for law in set.laws.iter().filter(|l| l.assumed) {
        let cited = e
            .fired
            .iter()
            .filter_map(|f| set.rules_with_id(&f.rule).next())
            .any(|r| r.basis.iter().any(|b| b.law == law.id));
        let line = tr.f("checklist.assumed_law", &[("law", law.short.get(tr.lang))]);
        if cited && !assumed.contains(&line) {
            assumed.push(line);
        }
    }
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
                "  • {} — {}",
                rule_title(set, &p.rule, tr),
                questions(&p.missing, tr)
            );
        }
    }
    if !e.upcoming.is_empty() {
        let _ = writeln!(out, "\n{}", tr.t("checklist.upcoming"));
        for u in &e.upcoming {
            let when = upcoming_when(&u.status, u.effective_from, tr);
            let applies = tr.t(if u.applies {
                "checklist.upcoming_applies"
            } else {
                "checklist.upcoming_may_apply"
            });
            let _ = writeln!(
                out,
                "  • {} ({when}; {applies})",
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
        let result = evaluate(&set, &table, case.scenario.date, EvalOptions::default()).unwrap();
        for lang in Lang::ALL {
            insta::assert_snapshot!(
                format!("report_{}", lang.code()),
                render(&result, &set, &Tr::new(lang))
            );
        }
    }
}

/// Reads every scenario's checklist the way an operator does, in Russian and Kazakh: no
/// English left in the text, no marker said twice, no raw fact name instead of a question.
#[cfg(test)]
mod text_checks {
    use super::*;
    use crate::i18n::Lang;
    use crate::rules::facts::FACTS;
    use crate::rules::{loader, scenarios};

    /// Names and abbreviations that are written in Latin letters in Russian and Kazakh too.
    const LATIN_NAMES: &[&str] = &["SMS", "eGov", "DCA", "ARGO"];

    /// Latin-letter words of `line`.
    fn latin_words(line: &str) -> Vec<&str> {
        line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'))
            .map(|w| w.trim_matches(|c| c == '.' || c == '-'))
            .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
            .collect()
    }

    /// A parenthesis said twice in a row: "(если есть) (если есть)".
    fn doubled_parenthesis(line: &str) -> Option<&str> {
        let mut rest = line;
        while let Some(open) = rest.find('(') {
            let after = &rest[open..];
            let close = after.find(')')?;
            let group = &after[..=close];
            if after[close + 1..].trim_start().starts_with(group) {
                return Some(group);
            }
            rest = &after[1..];
        }
        None
    }

    fn problems(text: &str, set: &RuleSet, tr: &Tr) -> Vec<String> {
        let rule_ids: Vec<&str> = set.rules.iter().map(|r| r.id.as_str()).collect();
        let optional = format!("({})", tr.t("checklist.optional"));
        let mut found = Vec::new();
        for line in text.lines() {
            for word in latin_words(line) {
                if FACTS.iter().any(|f| f.id == word) {
                    found.push(format!("raw fact name '{word}' in: {line}"));
                } else if rule_ids.contains(&word) {
                    found.push(format!("raw rule id '{word}' in: {line}"));
                } else if !LATIN_NAMES.contains(&word) && word != set.id {
                    found.push(format!("English or raw text '{word}' in: {line}"));
                }
            }
            if let Some(group) = doubled_parenthesis(line) {
                found.push(format!("'{group}' twice in: {line}"));
            }
            if line.matches(&optional).count() > 1 {
                found.push(format!("optional marker twice in: {line}"));
            }
        }
        found
    }

    #[test]
    fn every_scenario_reads_cleanly_in_russian_and_kazakh() {
        let files = loader::embedded();
        let set = loader::parse(&files).unwrap().set;
        let cases = scenarios::parse(&files).unwrap();
        let mut rendered = 0;
        let mut found = Vec::new();
        for case in &cases {
            let Ok(Some(result)) = scenarios::evaluate_scenario(&set, &case.scenario) else {
                continue;
            };
            for lang in [Lang::Ru, Lang::Kk] {
                let tr = Tr::new(lang);
                rendered += 1;
                for problem in problems(&render(&result, &set, &tr), &set, &tr) {
                    found.push(format!("{} ({lang}): {problem}", case.scenario.name));
                }
            }
        }
        assert!(rendered > 100, "only {rendered} checklists were read");
        found.dedup();
        assert!(found.is_empty(), "\n{}", found.join("\n"));
    }

    #[test]
    fn the_checks_catch_what_they_are_for() {
        let files = loader::embedded();
        let set = loader::parse(&files).unwrap().set;
        let tr = Tr::new(Lang::Ru);
        let bad = "  2. Паспорт ребёнка (если есть) (если есть) — заявитель\n\
                   основание: Правила оказания услуги (required documents) [identity_citizen]\n\
                   • нужно: dwelling.kind";
        let found = problems(bad, &set, &tr);
        assert_eq!(found.len(), 6, "{found:#?}");
        let good = "основание: Правила оказания услуги (перечень документов)\n\
                    онлайн (ЭЦП или SMS), портал eGov";
        assert_eq!(problems(good, &set, &tr), Vec::<String>::new());
    }
}
