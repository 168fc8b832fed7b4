//! Consent forms, pre-filled for signature: one per person who must consent (the owner, each
//! co-owner, the tenant of record, the applicant's personal-data consent ...), each on its own
//! page (a form feed between them). Blanks to fill by hand where the desk does not know yet.

use super::{BLANK, Block, Paper, heading, vocabulary_text};
use crate::center::CenterProfile;
use crate::i18n::Tr;
use crate::rules::RuleSet;

/// The applicant the consents are about.
pub struct Applicant {
    pub name: String,
    pub iin: String,
    /// `ДД.ММ.ГГГГ`.
    pub birth_date: String,
    /// `permanent` or `temporary`.
    pub registration: String,
    pub months: Option<u32>,
    pub address: String,
    /// What gives the applicant's representative their authority (a birth certificate, a
    /// guardianship decision), as typed at intake; empty when nobody represents them.
    pub authority: String,
}

/// One person's consent: which, given as whom, by whom (empty: a blank on the form).
pub struct Giver {
    pub consent: String,
    pub party: String,
    pub name: String,
    pub iin: String,
}

fn or_blank(text: &str) -> &str {
    if text.trim().is_empty() { BLANK } else { text }
}

pub fn render(
    applicant: &Applicant,
    givers: &[Giver],
    set: &RuleSet,
    center: Option<&CenterProfile>,
    training: bool,
    tr: &Tr,
) -> Paper {
    let v = &set.vocabulary;
    let mut paper = Paper::default();
    for (i, giver) in givers.iter().enumerate() {
        if i > 0 {
            paper.push(Block::PageBreak);
        }
        if training {
            paper.push(Block::Banner(tr.t("receipt.training")));
            paper.blank();
        }
        // Each form is one person's: "consent of a co-owner", not "of every co-owner".
        let title = if giver.consent == "co_owner_consent" {
            tr.t("consent_form.co_owner_title")
        } else {
            vocabulary_text(&v.consents, &giver.consent, tr.lang)
        };
        heading(&mut paper, &title, center, tr);
        paper.blank();
        // The kind as the sentence needs it, not a label in brackets: "на постоянную
        // регистрацию", "на временную регистрацию сроком на 6 месяцев", "уақытша 6 ай мерзімге
        // тіркеуге".
        let registration = match applicant.months {
            Some(months) if applicant.registration == "temporary" => {
                tr.n("consent_form.temporary_for", u64::from(months), &[])
            }
            _ => tr.t(&format!("consent_form.kind.{}", applicant.registration)),
        };
        // Each form is one person's: a co-owner, not "the co-owners".
        let party = if giver.party == "co_owners" {
            tr.t("consent_form.co_owner")
        } else {
            vocabulary_text(&v.parties, &giver.party, tr.lang)
        };
        let body =
            if giver.consent == "personal_data_consent" && giver.party == "legal_representative" {
                // The data are the represented person's first: named, with the basis of the
                // authority, and the representative's own too.
                tr.f(
                    "consent_form.personal_data_for",
                    &[
                        ("name", or_blank(&giver.name)),
                        ("iin", or_blank(&giver.iin)),
                        ("applicant", or_blank(&applicant.name)),
                        ("applicant_iin", or_blank(&applicant.iin)),
                        ("born", or_blank(&applicant.birth_date)),
                        ("basis", or_blank(&applicant.authority)),
                    ],
                )
            } else if giver.consent == "personal_data_consent" {
                tr.f(
                    "consent_form.personal_data",
                    &[
                        ("name", or_blank(&giver.name)),
                        ("iin", or_blank(&giver.iin)),
                        ("party", &party),
                    ],
                )
            } else if giver.party == "owner_legal_representative" {
                // The owner is a minor or incapacitated: the form names the owner and the basis.
                tr.f(
                    "consent_form.registration_for_owner",
                    &[
                        ("name", or_blank(&giver.name)),
                        ("iin", or_blank(&giver.iin)),
                        ("owner", BLANK),
                        ("basis", BLANK),
                        ("address", or_blank(&applicant.address)),
                        ("registration", &registration),
                        ("applicant", or_blank(&applicant.name)),
                        ("applicant_iin", or_blank(&applicant.iin)),
                        ("born", or_blank(&applicant.birth_date)),
                    ],
                )
            } else {
                tr.f(
                    "consent_form.registration",
                    &[
                        ("name", or_blank(&giver.name)),
                        ("iin", or_blank(&giver.iin)),
                        ("party", &party),
                        ("address", or_blank(&applicant.address)),
                        ("registration", &registration),
                        ("applicant", or_blank(&applicant.name)),
                        ("applicant_iin", or_blank(&applicant.iin)),
                        ("born", or_blank(&applicant.birth_date)),
                    ],
                )
            };
        paper.text(body, "", 0);
        // An owner's IIN and documents are processed too: their form carries their own
        // consent to that (assumed: the sources name only the applicant's consent).
        if giver.consent != "personal_data_consent" {
            paper.blank();
            paper.text(tr.t("consent_form.owner_data"), "", 0);
        }
        paper.blank();
        for line in personal_data_contents(center, tr) {
            paper.text(line.trim_start(), "  ", 2);
        }
        paper.blank();
        paper.text(tr.t("consent_form.revocable"), "", 0);
        paper.blank();
        paper.push(Block::Signature(vec![
            tr.t("consent_form.signature"),
            tr.t("consent_form.date"),
        ]));
        paper.blank();
        paper.push(Block::Signature(vec![tr.t("consent_form.document_seen")]));
        paper.push(Block::Signature(vec![tr.t("consent_form.accepted_by")]));
        if training {
            paper.blank();
            paper.push(Block::Banner(tr.t("receipt.training")));
        }
    }
    paper
}

/// The personal-data consent's contents as Law No. 94-V asks: the operator collecting the data
/// (from the center profile), the purpose, the data, the term, transfers and publication.
pub fn personal_data_contents(
    center: Option<&crate::center::CenterProfile>,
    tr: &Tr,
) -> Vec<String> {
    let operator = center.map_or_else(
        || tr.t("consents.no_center"),
        |c| {
            format!(
                "{}, {} {}",
                c.name.get(tr.lang),
                tr.t("consents.bin"),
                c.bin
            )
        },
    );
    let mut lines = vec![format!("  {}: {operator}", tr.t("consents.pd_operator"))];
    for key in [
        "consents.pd_purpose",
        "consents.pd_data",
        "consents.pd_transfer",
        "consents.pd_term",
    ] {
        lines.push(format!("  {}", tr.t(key)));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::rules::loader;

    /// The forms as their text paper.
    fn render(
        applicant: &Applicant,
        givers: &[Giver],
        set: &RuleSet,
        center: Option<&CenterProfile>,
        training: bool,
        tr: &Tr,
    ) -> String {
        super::render(applicant, givers, set, center, training, tr).to_text()
    }

    fn applicant() -> Applicant {
        Applicant {
            name: "Серікова Айгерім Бекқызы".into(),
            iin: "850714412305".into(),
            birth_date: "14.07.1985".into(),
            registration: "temporary".into(),
            months: Some(6),
            address: "Алматы, мкр. Шанырак-2, ул. Жанкожа батыра, 12".into(),
            authority: String::new(),
        }
    }

    fn givers() -> Vec<Giver> {
        vec![
            Giver {
                consent: "owner_consent".into(),
                party: "owner".into(),
                name: "Әбілқайырова Ғалия Һаманқызы".into(),
                iin: "900228404562".into(),
            },
            Giver {
                consent: "co_owner_consent".into(),
                party: "co_owners".into(),
                name: String::new(),
                iin: String::new(),
            },
            Giver {
                consent: "personal_data_consent".into(),
                party: "applicant".into(),
                name: "Серікова Айгерім Бекқызы".into(),
                iin: "850714412305".into(),
            },
        ]
    }

    /// A parent's personal-data consent for a child of 15 names the child and the basis and
    /// covers both people's data; a minor owner's representative names the owner and the
    /// basis; the contents say where the data go and how to revoke; ru and kk snapshots.
    #[test]
    fn represented_people_are_named_on_their_forms() {
        let set = loader::parse(&loader::embedded()).unwrap().set;
        let child = Applicant {
            name: "Серікова Дана".into(),
            iin: "110520600049".into(),
            birth_date: "20.05.2011".into(),
            registration: "permanent".into(),
            months: None,
            address: "г. Алматы, ул. Абая, д. 12".into(),
            authority: "свидетельство о рождении I-АЛ 123456".into(),
        };
        let givers = [
            Giver {
                consent: "personal_data_consent".into(),
                party: "legal_representative".into(),
                name: "Серікова Айгерім Бекқызы".into(),
                iin: "850714412305".into(),
            },
            Giver {
                consent: "owner_consent".into(),
                party: "owner_legal_representative".into(),
                name: "Ахметова Гүлнұр".into(),
                iin: "900228404562".into(),
            },
        ];
        for lang in [Lang::Ru, Lang::Kk] {
            let text = render(&child, &givers, &set, None, false, &Tr::new(lang));
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for expected in [
                "Серікова Дана",
                "110520600049",
                "свидетельство о рождении I-АЛ 123456",
            ] {
                assert!(flat.contains(expected), "{expected}\n{text}");
            }
            insta::assert_snapshot!(format!("consent_forms_represented_{}", lang.code()), text);
        }
        let ru = render(&child, &givers, &set, None, false, &Tr::new(Lang::Ru));
        let flat = ru.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "представляемого мною лица и моих собственных",
            "законный представитель собственника",
            "Министерства внутренних дел",
            "вид и номер документа, удостоверяющего личность",
            "сервис согласий на eGov",
        ] {
            assert!(flat.contains(expected), "{expected}\n{ru}");
        }
        assert!(
            !flat.contains("моих персональных данных для регистрации"),
            "{ru}"
        );
        assert!(!flat.contains("Третьим лицам"), "{ru}");
    }

    #[test]
    fn consent_form_snapshots_in_each_language() {
        let set = loader::parse(&loader::embedded()).unwrap().set;
        let center = crate::center::parse("center.toml", crate::center::EXAMPLE).unwrap();
        for lang in Lang::ALL {
            let text = render(
                &applicant(),
                &givers(),
                &set,
                Some(&center),
                false,
                &Tr::new(lang),
            );
            assert_eq!(text.matches('\u{c}').count(), 2, "one page per person");
            let long: Vec<&str> = text
                .lines()
                .filter(|l| crate::text::width(l) > super::super::COLUMNS)
                .collect();
            assert!(long.is_empty(), "{long:?}");
            insta::assert_snapshot!(format!("consent_forms_{}", lang.code()), text);
        }
    }

    #[test]
    fn an_unknown_co_owner_gets_blanks_and_training_forms_say_so() {
        let set = loader::parse(&loader::embedded()).unwrap().set;
        let tr = Tr::new(Lang::Ru);
        let text = render(&applicant(), &givers(), &set, None, true, &tr);
        crate::print::paper::assert_pdf_says_the_same(&super::render(
            &applicant(),
            &givers(),
            &set,
            None,
            true,
            &tr,
        ));
        let co_owner = text.split('\u{c}').nth(1).unwrap();
        assert!(co_owner.contains(BLANK), "{co_owner}");
        for page in text.split('\u{c}') {
            assert!(page.starts_with(&tr.t("receipt.training")), "{page}");
        }
    }
}
