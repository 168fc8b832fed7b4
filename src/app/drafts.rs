//! Drafts as the desk lists them: read back from the store, summarised with a masked IIN.

use crate::ui::drafts::DraftSummary;
use crate::ui::intake::Case;
use crate::ui::intake::fields::FieldId;

/// How long after the last keystroke the case is saved as a draft: a `kill -9` or a power
/// cut loses at most this much typing.
pub(super) const DRAFT_DELAY: std::time::Duration = std::time::Duration::from_millis(800);

/// A draft as the start-up list shows it: only the masked IIN and the name are read out.
pub(super) fn draft_summary(
    (id, updated_at, data): &(i64, chrono::DateTime<chrono::Utc>, String),
) -> DraftSummary {
    let case = case_from_json(data);
    let masked_iin = crate::core::Iin::parse(case.get(FieldId::Iin))
        .map(|i| i.masked())
        .unwrap_or_default();
    let name = full_name(&case);
    DraftSummary {
        id: *id,
        when: updated_at
            .with_timezone(&chrono::Local)
            .format("%d.%m.%Y %H:%M")
            .to_string(),
        masked_iin,
        name,
    }
}

/// Stored drafts as lookup rows, each with the IIN and full name the lookup matches.
pub(super) fn draft_rows(
    drafts: &[(i64, chrono::DateTime<chrono::Utc>, String)],
) -> Vec<(DraftSummary, String, String)> {
    drafts
        .iter()
        .map(|draft| {
            let case = case_from_json(&draft.2);
            (
                draft_summary(draft),
                case.get(FieldId::Iin).to_owned(),
                full_name(&case),
            )
        })
        .collect()
}

/// Surname, given name and patronymic, as far as they are typed (a list row names the
/// person as the applications do).
fn full_name(case: &Case) -> String {
    [FieldId::Surname, FieldId::GivenName, FieldId::Patronymic]
        .iter()
        .map(|f| case.get(*f))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn case_from_json(data: &str) -> Case {
    crate::case::draft::decode(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_row_names_the_person_whole_and_masks_the_iin_as_everywhere() {
        let case = Case::with_values(crate::case::FICTIONAL_TENANT);
        let stored = (
            3,
            chrono::Utc::now(),
            crate::case::draft::encode(&case, None),
        );
        let summary = draft_summary(&stored);
        assert_eq!(summary.name, "Серікова Айгерім Бекқызы");
        assert_eq!(summary.masked_iin, "********2305");
        assert_eq!(
            summary.masked_iin,
            crate::core::lookup_query::masked_iin("850714412305")
        );
    }
}
