//! One `[[rule]]` table: its identity, dates, citations, condition and outcome. Every id it
//! names is checked against the fact registry, the vocabulary and the laws of the header.

use std::collections::BTreeMap;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::header::Header;
use super::reader::{Node, Reader, get};
use super::source::{Message, suggestion};
use crate::i18n::human_date;
use crate::rules::facts::{FACTS, FactDef, FactKind, fact_def};
use crate::rules::model::{
    Condition, ConsentCount, ConsentRequirement, Decision, DocumentRequirement, LawRef, Origin,
    Outcome, Rule, RuleStatus, Scalar, Test, Texts,
};

const RULE_KEYS: &[&str] = &[
    "id",
    "title",
    "status",
    "effective_from",
    "effective_to",
    "basis",
    "overrides",
    "assumed",
    "when",
    "require",
    "consent",
    "decision",
    "reason",
    "registration",
    "channel",
    "notice",
    "notice_applicant",
    "same_checklist",
];
const CONSENT_FORMS: &[&str] = &["written", "eds", "consent_service"];
const REGISTRATIONS: &[&str] = &["permanent", "temporary"];
const CHANNELS: &[&str] = &["desk", "operator_hall", "online"];
const STATUSES: &[&str] = &["in_force", "adopted", "draft"];
const COMPARISONS: &[&str] = &["eq", "ne", "in", "not_in", "lt", "le", "gt", "ge"];

/// A parsed rule with the places of what later, cross-rule checks refer to.
pub struct ParsedRule {
    pub rule: Rule,
    pub id_span: std::ops::Range<usize>,
    pub overrides: Vec<Spanned<String>>,
    /// Index of the source file in the loader's list.
    pub file: usize,
}

/// Checks that the value of `key` is one of `allowed`, reporting a suggestion if not.
fn one_of(r: &mut Reader<'_, '_>, value: &Spanned<String>, allowed: &[&str], key: &str) -> bool {
    if allowed.contains(&value.get_ref().as_str()) {
        return true;
    }
    let message = Message::new("rules.error.unknown_value")
        .arg("key", key)
        .arg("value", value.get_ref())
        .arg("known", allowed.join(", "))
        .suggest(suggestion(value.get_ref(), allowed.iter().copied()));
    r.error(value.span(), message);
    false
}

/// Checks that `value` is declared in the `section` vocabulary of ruleset.toml.
fn known_id(
    r: &mut Reader<'_, '_>,
    value: &Spanned<String>,
    map: &BTreeMap<String, Texts>,
    section: &str,
) -> bool {
    if map.contains_key(value.get_ref()) {
        return true;
    }
    let message = Message::new("rules.error.unknown_id")
        .arg("value", value.get_ref())
        .arg("section", section)
        .suggest(suggestion(value.get_ref(), map.keys().map(String::as_str)));
    r.error(value.span(), message);
    false
}

pub fn read(
    r: &mut Reader<'_, '_>,
    node: &Node<'_>,
    header: &Header,
    file: usize,
) -> Option<ParsedRule> {
    let table = r.table(node, "[[rule]]")?;
    r.check_keys(table, RULE_KEYS, "[[rule]]");
    let errors_before = r.errors.len();

    let id = get(table, "id").and_then(|n| r.id(n, "id"));
    if id.is_none() {
        r.error(node.span(), Message::new("rules.error.rule_no_id"));
    }
    let title = match get(table, "title") {
        Some(n) => r.texts(n, "title"),
        None => {
            r.error(node.span(), Message::new("rules.error.rule_no_title"));
            None
        }
    };
    let status = match get(table, "status").and_then(|n| r.string(n, "status")) {
        Some(s) if one_of(r, &s, STATUSES, "status") => match s.get_ref().as_str() {
            "adopted" => RuleStatus::Adopted,
            "draft" => RuleStatus::Draft,
            _ => RuleStatus::InForce,
        },
        _ => RuleStatus::InForce,
    };
    let effective_from = get(table, "effective_from").and_then(|n| r.date(n, "effective_from"));
    let effective_to = get(table, "effective_to").and_then(|n| r.date(n, "effective_to"));
    if let Some(from) = &effective_from
        && *from.get_ref() < header.covers_from
    {
        let message = Message::new("rules.error.before_coverage")
            .arg("from", human_date(*from.get_ref()))
            .arg("covers_from", human_date(header.covers_from));
        r.error(from.span(), message);
    }
    // An in-force rule without a start date of its own starts with the set: the sources give
    // no date for it, and writing an assumed one on every rule would pass it off as law.
    let effective_from = effective_from.or_else(|| {
        (status == RuleStatus::InForce).then(|| Spanned::new(0..0, header.covers_from))
    });
    if let (Some(from), Some(to)) = (&effective_from, &effective_to)
        && to.get_ref() <= from.get_ref()
    {
        let message = Message::new("rules.error.bad_period")
            .arg("to", human_date(*to.get_ref()))
            .arg("from", human_date(*from.get_ref()));
        r.error(to.span(), message);
    }

    let basis = read_basis(r, table, header);
    if basis.is_empty() && get(table, "basis").is_none() {
        r.error(node.span(), Message::new("rules.error.rule_no_basis"));
    }
    let overrides = get(table, "overrides")
        .map(|n| r.strings(n, "overrides"))
        .unwrap_or_default();
    let assumed = get(table, "assumed")
        .and_then(|n| r.bool(n, "assumed"))
        .unwrap_or(false);
    let when = match get(table, "when") {
        Some(n) => condition(r, n),
        None => Some(Condition::always()),
    };
    let outcome = read_outcome(r, table, header, node);

    if r.errors.len() > errors_before {
        return None;
    }
    let id = id?;
    let (line, _) = r.src.position(id.span().start);
    Some(ParsedRule {
        id_span: id.span(),
        rule: Rule {
            id: id.get_ref().clone(),
            title: title?,
            status,
            effective_from: effective_from.map(Spanned::into_inner),
            effective_to: effective_to.map(Spanned::into_inner),
            basis,
            overrides: overrides.iter().map(|o| o.get_ref().clone()).collect(),
            assumed,
            when: when?,
            outcome: outcome?,
            origin: Origin {
                file: r.src.name.to_owned(),
                line,
            },
        },
        overrides,
        file,
    })
}

/// `basis = ["law_id", "law_id: point_id"]`; the point must be declared in the law's `points`.
fn read_basis(r: &mut Reader<'_, '_>, table: &DeTable<'_>, header: &Header) -> Vec<LawRef> {
    let Some(node) = get(table, "basis") else {
        return Vec::new();
    };
    let mut refs = Vec::new();
    for item in r.strings(node, "basis") {
        let (law, point) = match item.get_ref().split_once(':') {
            Some((law, point)) => (
                law.trim().to_owned(),
                Some(point.trim().to_owned()).filter(|p| !p.is_empty()),
            ),
            None => (item.get_ref().trim().to_owned(), None),
        };
        if let Some(known) = header.laws.iter().find(|l| l.id == law) {
            if let Some(p) = &point
                && !known.points.contains_key(p)
            {
                let message = Message::new("rules.error.unknown_point")
                    .arg("law", &law)
                    .arg("point", p)
                    .suggest(suggestion(p, known.points.keys().map(String::as_str)));
                r.error(item.span(), message);
            }
            refs.push(LawRef { law, point });
        } else {
            let message = Message::new("rules.error.unknown_law")
                .arg("id", &law)
                .suggest(suggestion(&law, header.laws.iter().map(|l| l.id.as_str())));
            r.error(item.span(), message);
        }
    }
    refs
}

fn read_documents(
    r: &mut Reader<'_, '_>,
    list: &Node<'_>,
    header: &Header,
) -> Vec<DocumentRequirement> {
    let vocabulary = &header.vocabulary;
    let parties: Vec<&str> = vocabulary.parties.keys().map(String::as_str).collect();
    let mut documents = Vec::new();
    for item in r.array(list, "require").unwrap_or_default() {
        let Some(t) = r.table(item, "[[rule.require]]") else {
            continue;
        };
        r.check_keys(
            t,
            &["id", "one_of", "optional", "party"],
            "[[rule.require]]",
        );
        let id = get(t, "id").and_then(|n| r.string(n, "id"));
        let one_of_docs = get(t, "one_of")
            .map(|n| r.strings(n, "one_of"))
            .unwrap_or_default();
        let party = get(t, "party").and_then(|n| r.string(n, "party"));
        let optional = get(t, "optional")
            .and_then(|n| r.bool(n, "optional"))
            .unwrap_or(false);
        let (Some(id), Some(party)) = (id, party) else {
            r.error(item.span(), Message::new("rules.error.require_incomplete"));
            continue;
        };
        if one_of_docs.is_empty() {
            r.error(
                item.span(),
                Message::new("rules.error.require_no_documents"),
            );
        }
        known_id(r, &id, &vocabulary.requirements, "requirements");
        one_of(r, &party, &parties, "party");
        for doc in &one_of_docs {
            known_id(r, doc, &vocabulary.documents, "documents");
        }
        documents.push(DocumentRequirement {
            id: id.into_inner(),
            one_of: one_of_docs.into_iter().map(Spanned::into_inner).collect(),
            optional,
            party: party.into_inner(),
        });
    }
    documents
}

fn read_count(r: &mut Reader<'_, '_>, t: &DeTable<'_>) -> ConsentCount {
    match (get(t, "count"), get(t, "count_fact")) {
        (Some(_), Some(n)) => {
            r.error(n.span(), Message::new("rules.error.count_both"));
            ConsentCount::Fixed(1)
        }
        (Some(n), None) => match r.number(n, "count") {
            Some(c) if c >= 1.0 && c.fract() == 0.0 => ConsentCount::Fixed(c as u32),
            Some(_) => {
                r.error(n.span(), Message::new("rules.error.count_bad"));
                ConsentCount::Fixed(1)
            }
            None => ConsentCount::Fixed(1),
        },
        (None, Some(n)) => match r.string(n, "count_fact") {
            Some(f) => {
                if let Some(def) = known_fact(r, &f)
                    && def.kind != FactKind::Integer
                {
                    r.error(
                        f.span(),
                        Message::new("rules.error.count_fact_bad").arg("fact", f.get_ref()),
                    );
                }
                ConsentCount::Fact(f.into_inner())
            }
            None => ConsentCount::Fixed(1),
        },
        (None, None) => ConsentCount::Fixed(1),
    }
}

fn read_consents(
    r: &mut Reader<'_, '_>,
    list: &Node<'_>,
    header: &Header,
) -> Vec<ConsentRequirement> {
    let vocabulary = &header.vocabulary;
    let parties: Vec<&str> = vocabulary.parties.keys().map(String::as_str).collect();
    let mut consents = Vec::new();
    for item in r.array(list, "consent").unwrap_or_default() {
        let Some(t) = r.table(item, "[[rule.consent]]") else {
            continue;
        };
        r.check_keys(
            t,
            &["id", "from", "count", "count_fact", "forms"],
            "[[rule.consent]]",
        );
        let id = get(t, "id").and_then(|n| r.string(n, "id"));
        let from = get(t, "from").and_then(|n| r.string(n, "from"));
        let (Some(id), Some(from)) = (id, from) else {
            r.error(item.span(), Message::new("rules.error.consent_incomplete"));
            continue;
        };
        known_id(r, &id, &vocabulary.consents, "consents");
        one_of(r, &from, &parties, "from");
        let count = read_count(r, t);
        let forms = get(t, "forms")
            .map(|n| r.strings(n, "forms"))
            .unwrap_or_default();
        for form in &forms {
            one_of(r, form, CONSENT_FORMS, "forms");
        }
        let forms = if forms.is_empty() {
            vec!["written".to_owned(), "eds".to_owned()]
        } else {
            forms.into_iter().map(Spanned::into_inner).collect()
        };
        consents.push(ConsentRequirement {
            id: id.into_inner(),
            from: from.into_inner(),
            count,
            forms,
        });
    }
    consents
}

fn read_outcome(
    r: &mut Reader<'_, '_>,
    table: &DeTable<'_>,
    header: &Header,
    node: &Node<'_>,
) -> Option<Outcome> {
    let mut outcome = Outcome::default();
    if let Some(list) = get(table, "require") {
        outcome.documents = read_documents(r, list, header);
    }
    if let Some(list) = get(table, "consent") {
        outcome.consents = read_consents(r, list, header);
    }
    if let Some(d) = get(table, "decision").and_then(|n| r.string(n, "decision")) {
        let codes: Vec<&str> = Decision::ALL.iter().map(|d| d.code()).collect();
        if one_of(r, &d, &codes, "decision") {
            outcome.decision = Decision::ALL.into_iter().find(|x| x.code() == d.get_ref());
        }
    }
    if let Some(reason) = get(table, "reason").and_then(|n| r.string(n, "reason")) {
        known_id(r, &reason, &header.vocabulary.reasons, "reasons");
        outcome.reason = Some(reason.into_inner());
    }
    if matches!(outcome.decision, Some(d) if d != Decision::Proceed) && outcome.reason.is_none() {
        r.error(node.span(), Message::new("rules.error.reason_missing"));
    }
    if let Some(reg) = get(table, "registration").and_then(|n| r.string(n, "registration"))
        && one_of(r, &reg, REGISTRATIONS, "registration")
    {
        outcome.registration = Some(reg.into_inner());
    }
    if let Some(ch) = get(table, "channel").and_then(|n| r.string(n, "channel"))
        && one_of(r, &ch, CHANNELS, "channel")
    {
        outcome.channel = Some(ch.into_inner());
    }
    outcome.notice = get(table, "notice").and_then(|n| r.texts(n, "notice"));
    outcome.notice_applicant =
        get(table, "notice_applicant").and_then(|n| r.texts(n, "notice_applicant"));
    if let Some(n) = get(table, "same_checklist") {
        outcome.same_checklist = r.bool(n, "same_checklist").unwrap_or(false);
        if outcome.decision != Some(Decision::OtherService) {
            r.error(n.span(), Message::new("rules.error.same_checklist_alone"));
        }
    }
    Some(outcome)
}

fn known_fact(r: &mut Reader<'_, '_>, id: &Spanned<String>) -> Option<&'static FactDef> {
    let def = fact_def(id.get_ref());
    if def.is_none() {
        let message = Message::new("rules.error.unknown_fact")
            .arg("name", id.get_ref())
            .suggest(suggestion(id.get_ref(), FACTS.iter().map(|f| f.id)));
        r.error(id.span(), message);
    }
    def
}

/// A condition table: keys are fact ids (all must hold) or `all`, `any`, `not`.
pub fn condition(r: &mut Reader<'_, '_>, node: &Node<'_>) -> Option<Condition> {
    let table = r.table(node, "when")?;
    let mut parts = Vec::new();
    let mut ok = true;
    for (key, value) in table.iter() {
        let part = match key.get_ref().as_ref() {
            "all" | "any" => {
                let items = r.array(value, key.get_ref())?;
                let subs: Vec<Option<Condition>> =
                    items.iter().map(|item| condition(r, item)).collect();
                let subs: Option<Vec<Condition>> = subs.into_iter().collect();
                subs.map(|s| {
                    if key.get_ref() == "all" {
                        Condition::All(s)
                    } else {
                        Condition::Any(s)
                    }
                })
            }
            "not" => condition(r, value).map(|c| Condition::Not(Box::new(c))),
            fact => {
                let id = Spanned::new(key.span(), fact.to_owned());
                known_fact(r, &id).and_then(|def| fact_tests(r, def, value))
            }
        };
        match part {
            Some(p) => parts.push(p),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    Some(if parts.len() == 1 {
        parts.remove(0)
    } else {
        Condition::All(parts)
    })
}

/// The tests on one fact: a value (equality), a list (membership), or a table of operators.
fn fact_tests(r: &mut Reader<'_, '_>, def: &FactDef, value: &Node<'_>) -> Option<Condition> {
    let fact = |test| Condition::Fact {
        fact: def.id.to_owned(),
        test,
    };
    match value.get_ref() {
        DeValue::Array(items) => {
            let list: Option<Vec<Scalar>> = items.iter().map(|i| scalar(r, def, i)).collect();
            Some(fact(Test::In(list?)))
        }
        DeValue::Table(ops) => {
            let mut tests = Vec::new();
            let mut failed = false;
            for (op, operand) in ops.iter() {
                let test = match op.get_ref().as_ref() {
                    "eq" => scalar(r, def, operand).map(Test::Eq),
                    "ne" => scalar(r, def, operand).map(Test::Ne),
                    "in" | "not_in" => {
                        let items = r.array(operand, op.get_ref())?;
                        let list: Option<Vec<Scalar>> =
                            items.iter().map(|i| scalar(r, def, i)).collect();
                        list.map(|l| {
                            if op.get_ref() == "in" {
                                Test::In(l)
                            } else {
                                Test::NotIn(l)
                            }
                        })
                    }
                    cmp @ ("lt" | "le" | "gt" | "ge") => {
                        if !matches!(def.kind, FactKind::Integer | FactKind::Number) {
                            let message = Message::new("rules.error.compare_not_number")
                                .arg("op", cmp)
                                .arg("fact", def.id);
                            r.error(op.span(), message);
                            return None;
                        }
                        r.number(operand, cmp).map(|n| match cmp {
                            "lt" => Test::Lt(n),
                            "le" => Test::Le(n),
                            "gt" => Test::Gt(n),
                            _ => Test::Ge(n),
                        })
                    }
                    other => {
                        let message = Message::new("rules.error.unknown_comparison")
                            .arg("op", other)
                            .arg("known", COMPARISONS.join(", "))
                            .suggest(suggestion(other, COMPARISONS.iter().copied()));
                        r.error(op.span(), message);
                        None
                    }
                };
                // Every operator is read, so that all its mistakes are reported at once.
                match test {
                    Some(test) => tests.push(fact(test)),
                    None => failed = true,
                }
            }
            if failed {
                return None;
            }
            Some(if tests.len() == 1 {
                tests.remove(0)
            } else {
                Condition::All(tests)
            })
        }
        _ => scalar(r, def, value).map(|s| fact(Test::Eq(s))),
    }
}

/// A constant compared with a fact: its type must fit the fact, an enum value must exist.
fn scalar(r: &mut Reader<'_, '_>, def: &FactDef, node: &Node<'_>) -> Option<Scalar> {
    match def.kind {
        FactKind::Enum(allowed) => {
            let value = r.string(node, def.id)?;
            one_of(r, &value, allowed, def.id).then(|| Scalar::Text(value.into_inner()))
        }
        FactKind::Bool => r.bool(node, def.id).map(Scalar::Bool),
        FactKind::Integer | FactKind::Number => r.number(node, def.id).map(Scalar::Number),
    }
}
