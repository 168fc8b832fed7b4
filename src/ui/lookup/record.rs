//! The record view of one application as lines of text: the applicant, the registration, the
//! decision record (facts, checklist, why), the consents, the status timeline, and the
//! person's other applications. Pure: the lines are built from the stored record.

use chrono::FixedOffset;
use serde_json::Value;

use crate::core::ApplicationStatus;
use crate::i18n::Tr;
use crate::records::ApplicationRecord;
use crate::rules::RuleSet;

/// A stored UTC timestamp in the desk's time zone, `DD.MM.YYYY HH:MM`.
pub fn local_time(at: &str, offset: FixedOffset) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&offset)
                .format("%d.%m.%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_owned())
}

/// A stored day (`YYYY-MM-DD`, or the day of a timestamp) as `DD.MM.YYYY`.
pub fn day(text: &str) -> String {
    chrono::NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d")
        .map(|d| d.format("%d.%m.%Y").to_string())
        .unwrap_or_else(|_| text.to_owned())
}

pub fn status_name(code: &str, tr: &Tr) -> String {
    ApplicationStatus::from_code(code).map_or_else(|| code.to_owned(), |s| tr.t(s.message_key()))
}

/// A line of the record: a heading, or plain text; `consent` marks the line of a consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordLine {
    Heading(String),
    Text(String),
}

fn vocabulary<'a>(
    map: &'a std::collections::BTreeMap<String, crate::rules::model::Texts>,
    id: &'a str,
    tr: &Tr,
) -> String {
    map.get(id)
        .map_or_else(|| id.to_owned(), |t| t.get(tr.lang).to_owned())
}

/// The lines of a record.
pub fn lines(
    record: &ApplicationRecord,
    rules: &RuleSet,
    tr: &Tr,
    offset: FixedOffset,
) -> Vec<RecordLine> {
    use RecordLine::{Heading, Text};
    let a = &record.application;
    let v = &rules.vocabulary;
    let mut out = Vec::new();
    let name = a.full_name();
    out.push(Heading(format!(
        "{} · {}",
        a.number,
        status_name(&a.status, tr)
    )));
    out.push(Text(format!("{}: {name}", tr.t("lookup.record.applicant"))));
    out.push(Text(format!("{}: {}", tr.t("lookup.record.iin"), a.iin)));
    // In words, the city by its name and each part with its label (never a raw code).
    let address = crate::print::address::in_words(&a.address, tr);
    out.push(Text(format!(
        "{}: {address}",
        tr.t("lookup.record.address")
    )));
    let mut kind = tr.t(&format!("checklist.registration.{}", a.registration_type));
    if let Some(m) = a.period_months {
        kind.push_str(&format!(
            " · {}",
            tr.n("lookup.record.months", u64::from(m), &[])
        ));
    }
    out.push(Text(format!(
        "{}: {kind}",
        tr.t("lookup.record.registration")
    )));
    if let Some(from) = &record.registered_from {
        let until = record
            .registered_until
            .as_deref()
            .map_or_else(String::new, |u| format!(" – {}", day(u)));
        out.push(Text(format!(
            "{}: {}{until}",
            tr.t("lookup.record.period"),
            day(from)
        )));
    }
    if let Some(doc) = &record.follow_up {
        let by = record
            .registered_until
            .as_deref()
            .map(day)
            .unwrap_or_else(|| "—".into());
        out.push(Text(tr.f(
            "lookup.record.follow_up",
            &[
                ("document", &vocabulary(&v.documents, doc, tr)),
                ("by", &by),
            ],
        )));
    }
    if let Some(rep) = &a.representative_name {
        out.push(Text(format!(
            "{}: {rep}",
            tr.t("lookup.record.representative")
        )));
    }
    out.push(Text(format!(
        "{}: {}",
        tr.t("lookup.record.created"),
        local_time(&a.created_at, offset)
    )));

    out.push(Heading(tr.t("lookup.record.timeline")));
    for step in &record.timeline {
        let from = step
            .from
            .as_deref()
            .map_or_else(|| "—".to_owned(), |f| status_name(f, tr));
        let mut line = format!(
            "  {}  {from} → {}  · {}",
            local_time(&step.at, offset),
            status_name(&step.to, tr),
            step.by.clone().unwrap_or_else(|| tr.t("shell.no_operator"))
        );
        if let Some(reason) = &step.reason_code {
            line.push_str(&format!(" · {}", vocabulary(&v.reasons, reason, tr)));
        }
        if let Some(note) = &step.note {
            line.push_str(&format!(" · «{note}»"));
        }
        out.push(Text(line));
    }
    out.push(Heading(tr.t("lookup.record.consents")));
    if a.consents.is_empty() {
        out.push(Text(format!("  {}", tr.t("checklist.none"))));
    }
    for c in &a.consents {
        let mut line = format!(
            "  {} — {} · {} · {}",
            tr.t(&format!("lookup.consent_kind.{}", consent_kind(&c.kind))),
            c.name,
            tr.t(&format!("consents.form_{}", c.form)),
            day(&c.given_at)
        );
        if let Some(at) = &c.revoked_at {
            line.push_str(&format!(
                " · {} {}: {}",
                tr.t("lookup.record.revoked"),
                local_time(at, offset),
                c.revoke_reason.as_deref().unwrap_or("")
            ));
        }
        out.push(Text(line));
    }

    // The decision record: what the rules were given and what they decided, and why.
    out.push(Heading(tr.t("lookup.record.decision")));
    let decision: Value = record
        .decision_record
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or(Value::Null);
    let e = &decision["evaluation"];
    if e.is_object() {
        let stamp = &e["ruleset"];
        out.push(Text(format!(
            "{}: {} {} ({})",
            tr.t("lookup.record.ruleset"),
            stamp["id"].as_str().unwrap_or("?"),
            stamp["version"].as_str().unwrap_or("?"),
            stamp["sha256"]
                .as_str()
                .map_or("?", |s| s.get(..12).unwrap_or(s)),
        )));
        let verdict = e["decision"].as_str().unwrap_or("?");
        out.push(Text(format!(
            "{}: {}",
            tr.t("checklist.decision_label"),
            tr.t(&format!("checklist.decision.{verdict}"))
        )));
        for reason in e["reasons"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            out.push(Text(format!("  {}", vocabulary(&v.reasons, reason, tr))));
        }
        out.push(Text(format!("{}:", tr.t("lookup.record.facts"))));
        let facts = if decision["case"].is_object() {
            &decision["case"]
        } else {
            &decision["facts"]
        };
        let mut flat = Vec::new();
        flatten("", facts, &mut flat);
        let flat: Vec<String> = flat
            .into_iter()
            .filter(|pair| {
                let key = pair.split(" = ").next().unwrap_or("");
                !(key.starts_with("consent.")
                    || key.starts_with("mark.")
                    || PERSONAL.contains(&key)
                    || key == "evaluated_with")
            })
            .map(|pair| readable_fact(&pair, tr))
            .collect();
        // The facts the rules read, in the operator's words: the case's consent and mark
        // records and the person's names and numbers are shown in their own places.
        for chunk in flat.chunks(3) {
            out.push(Text(format!("  {}", chunk.join(" · "))));
        }
        out.push(Text(format!("{}:", tr.t("lookup.record.checklist"))));
        let presented: Vec<&(String, String, String, Option<String>)> =
            a.documents.iter().collect();
        for d in e["documents"].as_array().into_iter().flatten() {
            let id = d["id"].as_str().unwrap_or("");
            let shown = presented
                .iter()
                .find(|p| p.0 == id)
                .map(|p| {
                    let number =
                        p.3.as_deref()
                            .map_or_else(String::new, |n| format!(" № {n}"));
                    format!(
                        " — {}: {}{number}",
                        tr.t("lookup.record.presented"),
                        vocabulary(&v.documents, &p.1, tr)
                    )
                })
                .unwrap_or_default();
            let mark = if shown.is_empty() { "□" } else { "✓" };
            out.push(Text(format!(
                "  {mark} {}{shown}",
                vocabulary(&v.requirements, id, tr)
            )));
        }
        // The consents as submitted: each required one ticked with who gave it (a co-owner's
        // consent once per co-owner recorded).
        for c in e["consents"].as_array().into_iter().flatten() {
            let id = c["id"].as_str().unwrap_or("");
            let kind = match id {
                "co_owner_consent" => "co_owner",
                "personal_data_consent" => "personal_data",
                _ => "owner",
            };
            let given: Vec<&str> = a
                .consents
                .iter()
                .filter(|s| s.kind == kind || (kind == "owner" && s.kind == "tenant"))
                .map(|s| s.name.as_str())
                .collect();
            let (mark, shown) = if given.is_empty() {
                ("□", String::new())
            } else {
                (
                    "✓",
                    format!(" — {}: {}", tr.t("lookup.record.given"), given.join(", ")),
                )
            };
            out.push(Text(format!(
                "  {mark} {}{shown}",
                vocabulary(&v.consents, id, tr)
            )));
        }
        out.push(Text(format!("{}:", tr.t("lookup.record.why"))));
        for f in e["fired"].as_array().into_iter().flatten() {
            let id = f["rule"].as_str().unwrap_or("");
            let title = rules
                .rules_with_id(id)
                .next()
                .map_or_else(|| id.to_owned(), |r| r.title.get(tr.lang).to_owned());
            out.push(Text(format!("  · {title}")));
        }
    } else {
        out.push(Text(tr.t("lookup.record.no_decision")));
    }

    if record.person_applications.len() > 1 {
        out.push(Heading(tr.t("lookup.record.others")));
        for (number, status) in &record.person_applications {
            let this = if *number == a.number { " ◂" } else { "" };
            out.push(Text(format!(
                "  {number}  {}{this}",
                status_name(status, tr)
            )));
        }
    }
    out
}

/// The consent kinds the catalog names (anything else shows as "other").
fn consent_kind(kind: &str) -> &str {
    match kind {
        "owner" | "co_owner" | "tenant" | "personal_data" => kind,
        _ => "other",
    }
}

/// "key = value" as the form says it: the field's label and, for a choice, the option's name.
/// A desk case's keys are field names; a facts record's keys are fact ids.
fn readable_fact(pair: &str, tr: &Tr) -> String {
    use crate::ui::intake::fields::{FieldKind, by_name, choice_key, for_fact};
    let (key, value) = pair.split_once(" = ").unwrap_or((pair, ""));
    if key == "applicant.age" {
        return format!("{}: {value}", tr.t("lookup.record.age"));
    }
    let Some(def) = by_name(key).or_else(|| for_fact(key)) else {
        return pair.to_owned();
    };
    let label = tr.t(&format!("field.{}", def.name));
    let value = match (def.kind, value) {
        (FieldKind::YesNo, "true" | "yes") => tr.t("choice.yes"),
        (FieldKind::YesNo, "false" | "no") => tr.t("choice.no"),
        (FieldKind::Choice(options), v) if options.contains(&v) => tr.t(&choice_key(v)),
        (_, v) => v.to_owned(),
    };
    format!("{label}: {value}")
}

/// Fields of a desk case that name or number the person, left out of the facts shown.
const PERSONAL: [&str; 12] = [
    "iin",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "representative_iin",
    "representative_name",
    "street",
    "house",
    "building",
    "apartment",
    "rka",
];

/// `key = value` pairs of a JSON object, nested keys joined by dots.
fn flatten(prefix: &str, value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        Value::String(s) if s.is_empty() => {}
        Value::String(s) => out.push(format!("{prefix} = {s}")),
        Value::Null => {}
        other => out.push(format!("{prefix} = {other}")),
    }
}
