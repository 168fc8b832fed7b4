//! The "what to bring" sheet: for a person before they come to the desk (field workers, NGO
//! hotlines, the desk itself), the documents and consents their case needs, with the accepted
//! alternatives, who takes part, and what to know. Made from the same evaluation as the
//! checklist, in the applicant's language.

use std::fmt::Write;

use super::{heading, vocabulary_text, wrap};
use crate::center::CenterProfile;
use crate::i18n::{Tr, human_date};
use crate::rules::report::questions;
use crate::rules::{Evaluation, RuleSet};

pub fn render(
    evaluation: &Evaluation,
    set: &RuleSet,
    center: Option<&CenterProfile>,
    tr: &Tr,
) -> String {
    let v = &set.vocabulary;
    let text = |map, id: &str| vocabulary_text(map, id, tr.lang);
    let mut out = String::new();
    let mut put = |lines: Vec<String>| {
        for line in lines {
            let _ = writeln!(out, "{}", line.trim_end());
        }
    };
    put(heading(&tr.t("sheet.title"), center, tr));
    put(vec![tr.f(
        "sheet.as_of",
        &[
            ("date", &human_date(evaluation.date)),
            ("ruleset", &evaluation.ruleset.id),
            ("version", &evaluation.ruleset.version),
        ],
    )]);
    put(vec![String::new()]);
    // A preliminary assessment, never a decision: the center decides when it takes the
    // application.
    let decision = tr.t(&format!("checklist.decision.{}", evaluation.decision));
    put(wrap(
        &decision,
        &format!("{}: ", tr.t("sheet.assessment")),
        2,
    ));
    put(wrap(&tr.t("sheet.center_decides"), "", 2));
    for reason in &evaluation.reasons {
        put(wrap(&text(&v.reasons, reason), "  ", 2));
    }
    if evaluation.provisional {
        put(wrap(
            &tr.f(
                "checklist.provisional",
                &[("questions", &questions(&evaluation.missing, tr))],
            ),
            "",
            2,
        ));
    }
    if !evaluation.documents.is_empty() {
        put(vec![String::new(), tr.t("sheet.documents")]);
    }
    for (i, d) in evaluation.documents.iter().enumerate() {
        let optional = if d.optional {
            format!(" ({})", tr.t("checklist.optional"))
        } else {
            String::new()
        };
        let heading = format!(
            "{}{optional} — {}",
            text(&v.requirements, &d.id),
            text(&v.parties, &d.party)
        );
        put(wrap(&heading, &format!("[ ] {}. ", i + 1), 7));
        let any: Vec<String> = d.one_of.iter().map(|x| text(&v.documents, x)).collect();
        put(wrap(
            &format!(
                "{}: {}",
                tr.t(crate::rules::report::one_of_label(any.len())),
                any.join(" | ")
            ),
            "       ",
            7,
        ));
    }
    if !evaluation.consents.is_empty() {
        put(vec![String::new(), tr.t("sheet.consents")]);
    }
    for (i, c) in evaluation.consents.iter().enumerate() {
        let count = c
            .count
            .map_or_else(|| tr.t("checklist.count_unknown"), |n| n.to_string());
        let forms: Vec<String> = c
            .forms
            .iter()
            .map(|f| tr.t(&format!("checklist.form.{f}")))
            .collect();
        let heading = format!(
            "{} — {} × {count} ({})",
            text(&v.consents, &c.id),
            text(&v.parties, &c.from),
            forms.join(", ")
        );
        put(wrap(&heading, &format!("[ ] {}. ", i + 1), 7));
    }
    // Everyone whose document or consent the case needs takes part, each person once: the
    // owner who represents the applicant is one person, not an owner and a representative.
    let owner_represents = evaluation
        .consents
        .iter()
        .any(|c| c.from == "representative_owner");
    let mut parties: Vec<String> = Vec::new();
    for party in evaluation
        .documents
        .iter()
        .map(|d| &d.party)
        .chain(evaluation.consents.iter().map(|c| &c.from))
        .filter(|p| {
            !(owner_represents && matches!(p.as_str(), "legal_representative" | "attorney"))
        })
    {
        let name = text(&v.parties, party);
        if !parties.contains(&name) {
            parties.push(name);
        }
    }
    if !parties.is_empty() {
        put(vec![String::new()]);
        put(wrap(&format!("{}:", tr.t("sheet.who")), "", 2));
        put(wrap(&parties.join(", "), "  ", 2));
    }
    if !evaluation.notices.is_empty() {
        put(vec![String::new(), tr.t("checklist.notices")]);
        for n in &evaluation.notices {
            put(wrap(n.applicant_texts().get(tr.lang), "  • ", 4));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::rules::{Evaluation, loader, scenarios};

    /// The shipped rule set, and the evaluation of its scenario whose name starts so.
    fn scenario(start: &str) -> (RuleSet, Evaluation) {
        let files = loader::embedded();
        let set = loader::parse(&files).unwrap().set;
        let case = scenarios::parse(&files)
            .unwrap()
            .into_iter()
            .find(|c| c.scenario.name.starts_with(start))
            .unwrap_or_else(|| panic!("no scenario {start}"));
        let e = scenarios::evaluate_scenario(&set, &case.scenario)
            .unwrap()
            .unwrap();
        (set, e)
    }

    /// What the applicant takes home speaks to them: a preliminary assessment (the center
    /// decides), and no instruction meant for the operator, in any scenario and language.
    #[test]
    fn the_sheet_is_an_assessment_addressed_to_the_applicant() {
        let files = loader::embedded();
        let set = loader::parse(&files).unwrap().set;
        let cases = scenarios::parse(&files).unwrap();
        let operator_words = [
            "Направьте",
            "направьте",
            "жіберіңіз",
            "Send the",
            "send the",
        ];
        for case in &cases {
            let Ok(Some(e)) = scenarios::evaluate_scenario(&set, &case.scenario) else {
                continue;
            };
            for lang in Lang::ALL {
                let sheet = render(&e, &set, None, &Tr::new(lang));
                for word in operator_words {
                    assert!(
                        !sheet.contains(word),
                        "{}: {word}\n{sheet}",
                        case.scenario.name
                    );
                }
                for decision in ["Решение:", "Шешім:", "Decision:"] {
                    assert!(!sheet.contains(decision), "{}\n{sheet}", case.scenario.name);
                }
            }
        }
        let (_, e) = scenario("foreigner with a residence permit");
        let sheet = render(&e, &set, None, &Tr::new(Lang::Ru));
        assert!(sheet.contains("Вам нужна отдельная услуга"), "{sheet}");
        assert!(sheet.contains("Предварительная оценка"), "{sheet}");
    }

    /// Each person once on the participants line; minors are never said to sign by EDS; no
    /// sentence about other co-owners where there is one owner.
    #[test]
    fn the_participants_are_each_named_once() {
        let (set, e) = scenario("child of 15, the parents co-own the flat");
        let sheet = render(&e, &set, None, &Tr::new(Lang::Ru)).replace("\n  ", " ");
        let who = sheet
            .lines()
            .find(|l| l.starts_with("Участвуют"))
            .unwrap_or_default();
        assert!(who.contains(":"), "{who}");
        assert!(
            who.contains("собственник, он же представитель заявителя"),
            "{who}"
        );
        assert!(!who.contains("законный представитель,"), "{who}");
        assert!(who.contains("несовершеннолетние — лично"), "{who}");
        assert!(!sheet.contains("Другие сособственники"), "{sheet}");
    }

    /// The sheets of the review's five cases, in ru and kk, and each PDF carries the words of
    /// its text.
    #[test]
    fn the_review_cases_sheets_in_ru_and_kk() {
        let named = [
            ("child_15", "15: a parent applies"),
            ("guardian", "an incapacitated adult: the guardian applies"),
            (
                "minor_co_owner",
                "the applicant co-owns with a minor (2 owners)",
            ),
            ("arrival", "an arrival without de-registration"),
            ("no_title", "adobe house without title documents"),
        ];
        for (name, start) in named {
            let (set, e) = scenario(start);
            for lang in [Lang::Ru, Lang::Kk] {
                let sheet = render(&e, &set, None, &Tr::new(lang));
                insta::assert_snapshot!(format!("review_{name}_{}", lang.code()), sheet);
                let pdf = crate::print::pdf::from_text(&sheet, None, None);
                let words: String = pdf_extract::extract_text_from_mem(&pdf)
                    .unwrap()
                    .split_whitespace()
                    .collect();
                let expected: String = sheet.split_whitespace().collect();
                assert_eq!(words, expected, "{name} {lang:?}");
            }
        }
    }

    /// A document with one acceptable form is named as that document, never "any of" one.
    #[test]
    fn a_single_option_is_not_any_of() {
        let (set, e) = scenario("14: a parent applies");
        let sheet = render(&e, &set, None, &Tr::new(Lang::Ru));
        assert!(
            sheet.contains("документ: Свидетельство о рождении\n"),
            "{sheet}"
        );
        assert!(!sheet.contains("любой из: Паспорт\n"), "{sheet}");
    }

    /// For every scenario of the shipped set and in every language, the sheet lists exactly
    /// the documents and consents of the evaluation (the same as `checklist --format json`).
    #[test]
    fn every_scenario_sheet_lists_the_checklist_documents_and_consents() {
        let files = loader::embedded();
        let set = loader::parse(&files).unwrap().set;
        let cases = scenarios::parse(&files).unwrap();
        let mut checked = 0;
        for case in &cases {
            let Ok(Some(e)) = scenarios::evaluate_scenario(&set, &case.scenario) else {
                continue;
            };
            for lang in Lang::ALL {
                let tr = Tr::new(lang);
                let sheet = render(&e, &set, None, &tr);
                for d in &e.documents {
                    let name = set.vocabulary.requirements[&d.id].get(lang);
                    assert!(
                        sheet.contains(name),
                        "{}: {name}\n{sheet}",
                        case.scenario.name
                    );
                }
                for c in &e.consents {
                    let name = set.vocabulary.consents[&c.id].get(lang);
                    assert!(
                        sheet.contains(name),
                        "{}: {name}\n{sheet}",
                        case.scenario.name
                    );
                }
                let items = sheet.lines().filter(|l| l.starts_with("[ ] ")).count();
                assert_eq!(
                    items,
                    e.documents.len() + e.consents.len(),
                    "{}",
                    case.scenario.name
                );
                assert!(
                    sheet
                        .lines()
                        .all(|l| crate::text::width(l) <= super::super::COLUMNS)
                );
                checked += 1;
            }
        }
        assert!(checked > 150, "{checked}");
    }

    #[test]
    fn sheet_snapshots_in_each_language() {
        let (set, e) = scenario("not an owner, three owners");
        let center = crate::center::parse("center.toml", crate::center::EXAMPLE).unwrap();
        for lang in Lang::ALL {
            insta::assert_snapshot!(
                format!("sheet_{}", lang.code()),
                render(&e, &set, Some(&center), &Tr::new(lang))
            );
        }
    }
}
