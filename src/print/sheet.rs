//! The "what to bring" sheet: for a person before they come to the desk (field workers, NGO
//! hotlines, the desk itself), the documents and consents their case needs, with the accepted
//! alternatives, who takes part, and what to know. Made from the same evaluation as the
//! checklist, in the applicant's language.

use super::{Block, Paper, Style, heading, vocabulary_text};
use crate::center::CenterProfile;
use crate::i18n::{Tr, human_date};
use crate::rules::report::questions;
use crate::rules::{Evaluation, RuleSet};

pub fn render(
    evaluation: &Evaluation,
    set: &RuleSet,
    center: Option<&CenterProfile>,
    tr: &Tr,
) -> Paper {
    let v = &set.vocabulary;
    let text = |map, id: &str| vocabulary_text(map, id, tr.lang);
    let mut paper = Paper::default();
    heading(&mut paper, &tr.t("sheet.title"), center, tr);
    paper.styled(
        Style::Small,
        tr.f(
            "sheet.as_of",
            &[
                ("date", &human_date(evaluation.date)),
                ("ruleset", &evaluation.ruleset.id),
                ("version", &evaluation.ruleset.version),
            ],
        ),
        "",
        0,
    );
    paper.blank();
    // A preliminary assessment, never a decision: the center decides when it takes the
    // application.
    let decision = tr.t(&format!("checklist.decision.{}", evaluation.decision));
    paper.styled(
        Style::Strong,
        decision,
        &format!("{}: ", tr.t("sheet.assessment")),
        2,
    );
    paper.text(tr.t("sheet.center_decides"), "", 2);
    for reason in &evaluation.reasons {
        paper.text(text(&v.reasons, reason), "  ", 2);
    }
    if evaluation.provisional {
        paper.text(
            tr.f(
                "checklist.provisional",
                &[("questions", &questions(&evaluation.missing, tr))],
            ),
            "",
            2,
        );
    }
    if !evaluation.documents.is_empty() {
        paper.blank();
        paper.push(Block::Heading(tr.t("sheet.documents")));
    }
    for (i, d) in evaluation.documents.iter().enumerate() {
        let optional = if d.optional {
            format!(" ({})", tr.t("checklist.optional"))
        } else {
            String::new()
        };
        let any: Vec<String> = d.one_of.iter().map(|x| text(&v.documents, x)).collect();
        paper.push(Block::Row {
            number: i + 1,
            check: true,
            text: format!(
                "{}{optional} — {}",
                text(&v.requirements, &d.id),
                text(&v.parties, &d.party)
            ),
            detail: Some(format!(
                "{}: {}",
                tr.t(crate::rules::report::one_of_label(any.len())),
                any.join(" | ")
            )),
        });
    }
    if !evaluation.consents.is_empty() {
        paper.blank();
        paper.push(Block::Heading(tr.t("sheet.consents")));
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
        paper.push(Block::Row {
            number: i + 1,
            check: true,
            text: format!(
                "{} — {} × {count} ({})",
                text(&v.consents, &c.id),
                text(&v.parties, &c.from),
                forms.join(", ")
            ),
            detail: None,
        });
    }
    // Everyone whose document or consent the case needs takes part, each person once: the
    // owner who represents the applicant is one person, not an owner and a representative.
    let owner_represents = evaluation
        .consents
        .iter()
        .any(|c| c.from == "representative_owner");
    let taking_part: Vec<&String> = evaluation
        .documents
        .iter()
        .map(|d| &d.party)
        .chain(evaluation.consents.iter().map(|c| &c.from))
        .collect();
    let represented = taking_part.iter().any(|p| *p == "legal_representative");
    let mut parties: Vec<String> = Vec::new();
    for party in taking_part.into_iter().filter(|p| {
        !(owner_represents && matches!(p.as_str(), "legal_representative" | "attorney"))
    }) {
        // An applicant a legal representative acts for (a child, a person a court declared
        // incapacitated) signs nothing: the representative does.
        let name = if party == "applicant" && represented {
            tr.t("sheet.applicant_represented")
        } else {
            text(&v.parties, party)
        };
        if !parties.contains(&name) {
            parties.push(name);
        }
    }
    if !parties.is_empty() {
        paper.blank();
        paper.push(Block::Heading(format!("{}:", tr.t("sheet.who"))));
        paper.text(parties.join(", "), "  ", 2);
    }
    if !evaluation.notices.is_empty() {
        paper.blank();
        paper.push(Block::Heading(tr.t("checklist.notices")));
        for n in &evaluation.notices {
            paper.text(n.applicant_texts().get(tr.lang), "  • ", 4);
        }
    }
    paper
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::rules::{Evaluation, loader, scenarios};

    /// The sheet as its text paper.
    fn render(e: &Evaluation, set: &RuleSet, center: Option<&CenterProfile>, tr: &Tr) -> String {
        super::render(e, set, center, tr).to_text()
    }

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
        // A ward signs nothing: the guardian does.
        let (set, e) = scenario("an incapacitated adult: the guardian applies");
        let sheet = render(&e, &set, None, &Tr::new(Lang::Ru)).replace("\n  ", " ");
        assert!(
            sheet.contains("заявитель (за него подписывает законный представитель)"),
            "{sheet}"
        );
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
                let paper = super::render(&e, &set, None, &Tr::new(lang));
                insta::assert_snapshot!(format!("review_{name}_{}", lang.code()), paper.to_text());
                crate::print::paper::assert_pdf_says_the_same(&paper);
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
