//! The consent forms of a case, pre-filled for signature.

use crate::case::consents::required;
use crate::i18n::Tr;
use crate::rules::Evaluation;

/// The consent forms of the case, pre-filled from the records (blanks where none yet), in the
/// language of the papers.
pub fn forms_paper(
    case: &crate::ui::intake::Case,
    evaluation: &Evaluation,
    set: &crate::rules::RuleSet,
    center: Option<&crate::center::CenterProfile>,
    training: bool,
    tr: &Tr,
) -> crate::print::Paper {
    use crate::print::consent_form::{Applicant, Giver, render};
    use crate::ui::intake::fields::FieldId as F;
    let get = |id: F| case.get(id).trim().to_owned();
    // In words: the city by its name, each part with its label.
    let address = crate::print::address::in_words(&crate::case::submission::address_of(case), tr);
    let name = |parts: [&str; 3]| {
        parts
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let applicant = Applicant {
        name: name([
            case.get(F::Surname),
            case.get(F::GivenName),
            case.get(F::Patronymic),
        ]),
        iin: get(F::Iin),
        birth_date: get(F::BirthDate),
        registration: evaluation
            .registration
            .clone()
            .unwrap_or_else(|| get(F::Service)),
        months: case.get(F::PeriodMonths).parse().ok(),
        address,
        authority: if case.represented() {
            get(F::AuthorityDocument)
        } else {
            String::new()
        },
    };
    let givers: Vec<Giver> = required(evaluation)
        .into_iter()
        .map(|r| {
            let (name, iin) = match case.consents.get(&r.key) {
                Some(c) => (
                    name([
                        c.surname.as_str(),
                        c.given_name.as_str(),
                        c.patronymic.as_str(),
                    ]),
                    c.iin.clone(),
                ),
                // The applicant's own consent is known before its record is made.
                None if r.party == "applicant" => (applicant.name.clone(), applicant.iin.clone()),
                None => (String::new(), String::new()),
            };
            Giver {
                consent: r.consent.clone(),
                party: r.party.clone(),
                name,
                iin,
            }
        })
        .collect();
    render(&applicant, &givers, set, center, training, tr)
}
