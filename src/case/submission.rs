//! The application to submit, from a case and its evaluation: plain data for the store.

use super::consents::ConsentRecord;
use super::fields::FieldId;
use super::marks::MarkState;
use super::{Case, parse_date};
use crate::records::{
    Closing, KnownApplicant, Submission, SubmittedAddress, SubmittedConsent, SubmittedDocument,
};
use crate::rules::Evaluation;

fn iso(date: &str) -> Option<String> {
    parse_date(date).map(|d| d.format("%Y-%m-%d").to_string())
}

fn some(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

fn consent_kind(consent: &str, party: &str) -> &'static str {
    match (consent, party) {
        ("personal_data_consent", _) => "personal_data",
        ("co_owner_consent", _) => "co_owner",
        (_, "tenant") => "tenant",
        _ => "owner",
    }
}

/// The application to submit, from the case and its evaluation (which passed the gate).
pub fn submission(case: &Case, e: &Evaluation, draft_id: i64) -> Submission {
    let get = |id: FieldId| case.get(id).to_owned();
    let period_months = case.get(FieldId::PeriodMonths).parse().ok().or_else(|| {
        // An end date counts its whole months from today, at least one.
        let end = parse_date(case.get(FieldId::PeriodEnd))?;
        let months = (((end - e.date).num_days() + 29) / 30).clamp(1, 12);
        u32::try_from(months).ok()
    });
    let record = serde_json::json!({
        "case": case.to_map(),
        "evaluation": e,
    });
    let documents = e
        .documents
        .iter()
        .filter_map(|d| {
            let mark = case.marks.get(&d.id)?;
            (mark.state == MarkState::Presented).then(|| SubmittedDocument {
                requirement: d.id.clone(),
                document: if mark.document.is_empty() {
                    d.one_of.first().cloned().unwrap_or_default()
                } else {
                    mark.document.clone()
                },
                party: d.party.clone(),
                number: some(&mark.number),
                issued_on: iso(&mark.issued),
            })
        })
        .collect();
    // In the order the checklist asks for them: the owner, each co-owner, personal data.
    let order: Vec<String> = super::consents::required(e)
        .into_iter()
        .map(|r| r.key)
        .collect();
    let mut given: Vec<(&String, &ConsentRecord)> = case
        .consents
        .iter()
        .filter(|(_, r)| r.state == "given")
        .collect();
    given.sort_by_key(|(key, _)| order.iter().position(|o| o == *key).unwrap_or(usize::MAX));
    let consents = given
        .into_iter()
        .map(|(key, r): (&String, &ConsentRecord)| {
            let consent = key.split('#').next().unwrap_or("");
            SubmittedConsent {
                kind: consent_kind(consent, &r.party).to_owned(),
                iin: some(&r.iin),
                name: [
                    r.surname.as_str(),
                    r.given_name.as_str(),
                    r.patronymic.as_str(),
                ]
                .iter()
                .filter(|p| !p.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" "),
                role: r.party.clone(),
                form: r.form.clone(),
                scope: (consent == "personal_data_consent").then(|| "law_94_v".to_owned()),
                given_at: iso(&r.date).unwrap_or_default(),
            }
        })
        .collect();
    Submission {
        draft_id,
        year: chrono::Datelike::year(&e.date),
        iin: get(FieldId::Iin),
        person: KnownApplicant {
            surname: get(FieldId::Surname),
            given_name: get(FieldId::GivenName),
            patronymic: some(case.get(FieldId::Patronymic)),
            birth_date: iso(case.get(FieldId::BirthDate)),
            sex: some(case.get(FieldId::Sex)),
            status: get(FieldId::Status),
            capacity: get(FieldId::Capacity),
        },
        registration_type: e
            .registration
            .clone()
            .unwrap_or_else(|| get(FieldId::Service)),
        period_months,
        address: address_of(case),
        dwelling_kind: some(case.get(FieldId::DwellingKind)),
        applicant_relation: some(case.get(FieldId::ApplicantRelation)),
        representative_kind: Some(get(FieldId::ActsThrough))
            .filter(|k| k != "self" && !k.is_empty()),
        representative_iin: some(case.get(FieldId::RepresentativeIin)),
        representative_name: some(case.get(FieldId::RepresentativeName)),
        representative_basis: some(case.get(FieldId::AuthorityDocument)),
        ruleset: (
            e.ruleset.id.clone(),
            e.ruleset.version.clone(),
            e.ruleset.sha256.clone(),
        ),
        decision_record: record.to_string(),
        documents,
        consents,
        // An arrival without de-registration proof is registered for the time it takes to
        // get it: the follow-up list reminds the desk.
        follow_up: e
            .fired
            .iter()
            .any(|f| f.rule == "arrival_without_deregistration")
            .then(|| "deregistration_document".to_owned()),
        // Filled in by the effects layer, which knows who is signed in.
        operator: None,
    }
}

/// A case the rules say needs no registration (`not_required`), closed without an
/// application: kept with the facts and the decision it was closed on.
pub fn closing(case: &Case, e: &Evaluation, draft_id: i64) -> Closing {
    let record = serde_json::json!({
        "case": case.to_map(),
        "evaluation": e,
    });
    let stamp = format!(
        "{} {} {}",
        e.ruleset.id, e.ruleset.version, e.ruleset.sha256
    );
    Closing {
        draft_id,
        iin: some(case.get(FieldId::Iin)),
        closed_as: e.decision.to_string(),
        reasons: e.reasons.clone(),
        ruleset: (
            e.ruleset.id.clone(),
            e.ruleset.version.clone(),
            e.ruleset.sha256.clone(),
        ),
        decision_record: record.to_string(),
        case_data: super::draft::encode(case, Some(stamp)),
        // Filled in by the effects layer, which knows who is signed in.
        operator: None,
    }
}

/// The address of the case, as the application keeps it.
pub fn address_of(case: &Case) -> SubmittedAddress {
    SubmittedAddress {
        // The cities of republican significance stand for their region.
        region: some(case.get(FieldId::Region))
            .or_else(|| some(case.get(FieldId::City)).filter(|c| c != "other")),
        district: some(case.get(FieldId::District)),
        settlement: some(case.get(FieldId::Settlement)),
        street: some(case.get(FieldId::Street)),
        house: some(case.get(FieldId::House)),
        building: some(case.get(FieldId::Building)),
        apartment: some(case.get(FieldId::Apartment)),
        rka: some(case.get(FieldId::Rka)),
    }
}
