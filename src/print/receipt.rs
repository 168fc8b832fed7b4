//! The receipt handed to the person after submission (and its reprint): the number to check
//! the status by, who applied where, what was received and which consents were recorded.
//! In the applicant's language; the IIN masked, because a receipt gets left on counters.

use super::{Block, Paper, Style, heading, vocabulary_text};
use crate::center::CenterProfile;
use crate::core::Iin;
use crate::i18n::{Tr, human_date};
use crate::rules::RuleSet;
use crate::store::StoredApplication;

/// Who prints, and whether on training data (every page then says so, top and bottom).
pub struct Printing<'a> {
    pub operator: Option<&'a str>,
    pub training: bool,
}

/// The name of a stored consent kind on paper: the rule set's words, one co-owner's in the
/// singular (the rule set names the requirement, "of every co-owner").
fn consent_title(kind: &str, set: &RuleSet, tr: &Tr) -> String {
    let id = match kind {
        "co_owner" => return tr.t("consent_form.co_owner_title"),
        "personal_data" => "personal_data_consent",
        _ => "owner_consent",
    };
    vocabulary_text(&set.vocabulary.consents, id, tr.lang)
}

fn masked(iin: &str) -> String {
    Iin::parse(iin).map_or_else(|_| "************".to_owned(), |i| i.masked())
}

/// `2026-12-01T10:32:00Z` (or `2026-12-01`) as `01.12.2026`.
fn date_of(stamp: &str) -> String {
    stamp
        .get(..10)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map_or_else(|| stamp.to_owned(), human_date)
}

pub fn render(
    application: &StoredApplication,
    set: &RuleSet,
    center: Option<&CenterProfile>,
    printing: &Printing,
    tr: &Tr,
) -> Paper {
    let a = application;
    let v = &set.vocabulary;
    let text = |map, id: &str| vocabulary_text(map, id, tr.lang);
    let mut paper = Paper::default();
    let training = tr.t("receipt.training");
    if printing.training {
        paper.push(Block::Banner(training.clone()));
        paper.blank();
    }
    heading(&mut paper, &tr.t("receipt.title"), center, tr);
    paper.blank();
    paper.styled(
        Style::Strong,
        tr.f(
            "receipt.number",
            &[("number", &a.number), ("date", &date_of(&a.created_at))],
        ),
        "",
        0,
    );
    paper.field(
        tr.t("receipt.applicant"),
        format!(
            "{}, {} {}",
            a.full_name(),
            tr.t("receipt.iin"),
            masked(&a.iin)
        ),
    );
    if let Some(representative) = &a.representative_name {
        paper.field(tr.t("receipt.representative"), representative.clone());
    }
    let mut registration = tr.t(&format!("checklist.registration.{}", a.registration_type));
    if let Some(months) = a.period_months {
        registration.push_str(&format!(
            " · {}",
            tr.n("receipt.months", u64::from(months), &[])
        ));
    }
    paper.field(tr.t("receipt.registration"), registration);
    paper.field(
        tr.t("receipt.address"),
        super::address::in_words(&a.address, tr),
    );

    paper.blank();
    paper.push(Block::Heading(tr.t("receipt.documents")));
    for (i, (requirement, document, _, number)) in a.documents.iter().enumerate() {
        let mut line = format!(
            "{} — {}",
            text(&v.requirements, requirement),
            text(&v.documents, document)
        );
        if let Some(number) = number {
            line.push_str(&format!(", № {number}"));
        }
        paper.push(Block::Row {
            number: i + 1,
            check: false,
            text: line,
            detail: None,
        });
    }
    paper.blank();
    paper.push(Block::Heading(tr.t("receipt.consents")));
    for (i, c) in a.consents.iter().enumerate() {
        // Each consent is one person's: a co-owner, never "(co-owners)" after one name.
        let role = if c.role == "co_owners" {
            tr.t("consent_form.co_owner")
        } else {
            text(&v.parties, &c.role)
        };
        paper.push(Block::Row {
            number: i + 1,
            check: false,
            text: format!(
                "{} — {} ({}), {}, {}",
                consent_title(&c.kind, set, tr),
                c.name,
                role,
                tr.t(&format!("consents.form_{}", c.form)),
                date_of(&c.given_at)
            ),
            detail: None,
        });
    }
    paper.blank();
    let status = center.map_or_else(
        || tr.t("receipt.status_default"),
        |c| c.status_check.get(tr.lang).to_owned(),
    );
    paper.text(tr.f("receipt.status", &[("number", &a.number)]), "", 0);
    paper.text(status, "", 0);
    // The operator who took the application, whoever prints it; a reprint by someone else
    // says who.
    let taken_by = a.taken_by.as_deref();
    let operator = taken_by.map_or_else(|| tr.t("receipt.no_operator"), str::to_owned);
    paper.blank();
    paper.field(tr.t("receipt.operator"), operator);
    if let Some(reprinted) = printing.operator.filter(|p| Some(*p) != taken_by) {
        paper.field(tr.t("receipt.reprinted_by"), reprinted);
    }
    if printing.training {
        paper.blank();
        paper.push(Block::Banner(training));
    }
    paper
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::rules::loader;
    use crate::store::{StoredConsent, SubmittedAddress};

    /// The receipt as its text paper.
    fn render(
        application: &StoredApplication,
        set: &RuleSet,
        center: Option<&CenterProfile>,
        printing: &Printing,
        tr: &Tr,
    ) -> String {
        super::render(application, set, center, printing, tr).to_text()
    }

    pub(crate) fn fictional_application() -> StoredApplication {
        StoredApplication {
            number: "RD-2026-000123".into(),
            created_at: "2026-12-01T10:32:00Z".into(),
            status: "submitted".into(),
            iin: "850714412305".into(),
            surname: "Серікова".into(),
            given_name: "Айгерім".into(),
            patronymic: Some("Бекқызы".into()),
            registration_type: "temporary".into(),
            period_months: Some(6),
            address: SubmittedAddress {
                region: Some("almaty".into()),
                district: Some("Алатауский".into()),
                street: Some("мкр. Шанырак-2, ул. Жанкожа батыра".into()),
                house: Some("12".into()),
                ..SubmittedAddress::default()
            },
            representative_name: None,
            representative_kind: None,
            taken_by: Some("Жанар Оспанова".into()),
            documents: vec![
                (
                    "applicant_identity".into(),
                    "id_card".into(),
                    "applicant".into(),
                    Some("045123789".into()),
                ),
                (
                    "owner_identity".into(),
                    "passport".into(),
                    "owner".into(),
                    None,
                ),
            ],
            consents: vec![
                StoredConsent {
                    id: 1,
                    kind: "owner".into(),
                    name: "Әбілқайырова Ғалия Һаманқызы".into(),
                    role: "owner".into(),
                    form: "in_person".into(),
                    given_at: "2026-12-01".into(),
                    revoked_at: None,
                    revoke_reason: None,
                },
                StoredConsent {
                    id: 2,
                    kind: "personal_data".into(),
                    name: "Серікова Айгерім Бекқызы".into(),
                    role: "applicant".into(),
                    form: "in_person".into(),
                    given_at: "2026-12-01".into(),
                    revoked_at: None,
                    revoke_reason: None,
                },
            ],
        }
    }

    #[test]
    fn receipt_snapshots_in_each_language() {
        let set = loader::parse(&loader::embedded()).unwrap().set;
        let center = crate::center::parse("center.toml", crate::center::EXAMPLE).unwrap();
        for lang in Lang::ALL {
            let printing = Printing {
                operator: Some("Оператор 1"),
                training: false,
            };
            let text = render(
                &fictional_application(),
                &set,
                Some(&center),
                &printing,
                &Tr::new(lang),
            );
            assert!(
                text.lines()
                    .all(|l| crate::text::width(l) <= super::super::COLUMNS)
            );
            assert!(!text.contains("850714412305"), "the IIN is masked");
            insta::assert_snapshot!(format!("receipt_{}", lang.code()), text);
        }
    }

    #[test]
    fn the_receipt_pdf_reads_back_with_its_number_kazakh_names_and_documents() {
        let set = loader::parse(&loader::embedded()).unwrap().set;
        let printing = Printing {
            operator: None,
            training: false,
        };
        let tr = Tr::new(Lang::Kk);
        let paper = super::render(&fictional_application(), &set, None, &printing, &tr);
        crate::print::paper::assert_pdf_says_the_same(&paper);
        let pdf = crate::print::pdf::render(&paper, None, None);
        let back = pdf_extract::extract_text_from_mem(&pdf).unwrap();
        // A line wrapped in the PDF reads back without its space: compare without spaces.
        let flat: String = back.split_whitespace().collect();
        let has = |text: &str| flat.contains(&text.split_whitespace().collect::<String>());
        assert!(has("RD-2026-000123"), "{back}");
        assert!(has("Әбілқайырова Ғалия Һаманқызы"), "{back}");
        for requirement in ["applicant_identity", "owner_identity"] {
            let name = set.vocabulary.requirements[requirement].get(Lang::Kk);
            assert!(has(name), "{name} in {back}");
        }
        assert!(has("№ 045123789"), "{back}");
    }

    #[test]
    fn a_training_receipt_says_so_top_and_bottom_and_names_a_missing_center() {
        let set = loader::parse(&loader::embedded()).unwrap().set;
        let printing = Printing {
            operator: None,
            training: true,
        };
        let text = render(
            &fictional_application(),
            &set,
            None,
            &printing,
            &Tr::new(Lang::Ru),
        );
        let training = Tr::new(Lang::Ru).t("receipt.training");
        assert!(text.starts_with(&training), "{text}");
        assert!(text.trim_end().ends_with(&training), "{text}");
        assert!(text.contains(&Tr::new(Lang::Ru).t("sheet.no_center")));
    }

    /// The receipt names the operator who took the application, whoever prints it; a
    /// reprint by another says who; one co-owner is "a co-owner", never "(co-owners)".
    #[test]
    fn the_receipt_names_who_took_it_and_each_consent_is_one_persons() {
        let set = loader::parse(&loader::embedded()).unwrap().set;
        let tr = Tr::new(Lang::Ru);
        let mut application = fictional_application();
        application.consents[0].kind = "co_owner".into();
        application.consents[0].role = "co_owners".into();
        let print = |by: Option<&str>| {
            render(
                &application,
                &set,
                None,
                &Printing {
                    operator: by,
                    training: false,
                },
                &tr,
            )
        };
        let from_the_command_line = print(None);
        assert!(from_the_command_line.contains("Оператор: Жанар Оспанова"));
        assert!(!from_the_command_line.contains("вход не выполнен"));
        assert!(!from_the_command_line.contains("Повторно"));
        assert!(
            print(Some("Жанар Оспанова"))
                .lines()
                .all(|l| !l.contains("Повторно"))
        );
        let reprint = print(Some("Петрова Е."))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            reprint.contains("Повторно напечатал(а): Петрова Е."),
            "{reprint}"
        );
        assert!(
            reprint.contains(
                "Согласие сособственника на регистрацию — Әбілқайырова Ғалия Һаманқызы (сособственник)"
            ),
            "{reprint}"
        );
        assert!(!reprint.contains("(сособственники)"), "{reprint}");
    }
}
