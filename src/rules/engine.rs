//! Evaluation: from a rule set, the facts of a case and a date, the decision, the documents and
//! consents needed, and why. Pure: no IO, no clock (the date is an argument).
//!
//! Steps: pick the rules in force on the date (in what-if mode also adopted and draft rules);
//! evaluate their conditions three-valued; let fired rules suppress the rules they override;
//! merge the outcomes of the remaining fired rules. Two fired rules that disagree on the
//! decision, registration type or channel with no override between them make a *conflict*
//! result ("contact the administrator"), never a silent pick.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;

use super::condition::{Truth, evaluate as evaluate_condition};
use super::facts::{FactTable, FactValue};
use super::model::{ConsentCount, Decision, Rule, RuleSet, RuleStatus, Texts};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EvalOptions {
    /// Apply adopted-but-not-in-force and draft rules as if they were in force.
    pub what_if: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RulesetStamp {
    pub id: String,
    pub version: String,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentResult {
    pub id: String,
    pub one_of: Vec<String>,
    pub optional: bool,
    pub party: String,
    pub rules: Vec<String>,
    pub basis: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConsentResult {
    pub id: String,
    pub from: String,
    /// `None` while the fact that gives the count is unknown.
    pub count: Option<u32>,
    pub forms: Vec<String>,
    pub rules: Vec<String>,
    pub basis: Vec<String>,
}

/// A rule that fired, with the facts that made it fire.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fired {
    pub rule: String,
    pub facts: std::collections::BTreeMap<String, String>,
    pub basis: Vec<String>,
    /// The rule encodes an assumption, not a confirmed legal text.
    pub assumed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pending {
    pub rule: String,
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoticeResult {
    pub rule: String,
    pub ru: String,
    pub kk: String,
    pub en: String,
    /// The same, addressed to the applicant, for papers (when the notice speaks to the
    /// operator).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub for_applicant: Option<Texts>,
}

impl NoticeResult {
    fn new(rule: &str, texts: &Texts, for_applicant: Option<&Texts>) -> NoticeResult {
        NoticeResult {
            rule: rule.into(),
            ru: texts.ru.clone(),
            kk: texts.kk.clone(),
            en: texts.en.clone(),
            for_applicant: for_applicant.cloned(),
        }
    }

    /// What a paper the applicant takes home says.
    pub fn applicant_texts(&self) -> Texts {
        self.for_applicant.clone().unwrap_or_else(|| self.texts())
    }

    pub fn texts(&self) -> Texts {
        Texts {
            ru: self.ru.clone(),
            kk: self.kk.clone(),
            en: self.en.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Upcoming {
    pub rule: String,
    pub status: String,
    pub effective_from: Option<NaiveDate>,
    /// Whether the rule would apply to this case (`false`: it might, facts are missing).
    pub applies: bool,
}

/// Rules that disagree on one outcome field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    pub field: String,
    pub rules: Vec<String>,
}

/// The date asked for lies before the first date the rule set describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotCovered {
    pub date: NaiveDate,
    pub covers_from: NaiveDate,
}

impl NotCovered {
    pub fn message(&self, set: &RuleSet) -> crate::i18n::Message {
        crate::i18n::Message::new("rules.not_covered")
            .arg("date", crate::i18n::human_date(self.date))
            .arg("first", crate::i18n::human_date(self.covers_from))
            .arg("ruleset", format!("{} {}", set.id, set.version))
    }
}

/// What the evaluation decided: a [`Decision`], or a conflict between rules (contact the rules
/// administrator). Written as its code in JSON (`proceed`, ..., `conflict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Proceed,
    Refuse,
    NotRequired,
    OtherService,
    Conflict,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Proceed => "proceed",
            Verdict::Refuse => "refuse",
            Verdict::NotRequired => "not_required",
            Verdict::OtherService => "other_service",
            Verdict::Conflict => "conflict",
        }
    }
}

impl From<Decision> for Verdict {
    fn from(decision: Decision) -> Verdict {
        match decision {
            Decision::Proceed => Verdict::Proceed,
            Decision::Refuse => Verdict::Refuse,
            Decision::NotRequired => Verdict::NotRequired,
            Decision::OtherService => Verdict::OtherService,
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl PartialEq<&str> for Verdict {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    pub date: NaiveDate,
    pub ruleset: RulesetStamp,
    pub decision: Verdict,
    pub reasons: Vec<String>,
    pub registration: Option<String>,
    pub channel: Option<String>,
    pub documents: Vec<DocumentResult>,
    pub consents: Vec<ConsentResult>,
    pub pending: Vec<Pending>,
    /// True while a fact still unknown can change the decision, registration, channel,
    /// documents or consents: the result is not final until `missing` is answered.
    pub provisional: bool,
    /// The facts to ask for (input facts, never derived ones) before the result is final.
    pub missing: Vec<String>,
    pub notices: Vec<NoticeResult>,
    pub upcoming: Vec<Upcoming>,
    pub fired: Vec<Fired>,
    pub conflicts: Vec<Conflict>,
    pub what_if: bool,
}

fn applies(rule: &Rule, date: NaiveDate, options: EvalOptions) -> bool {
    match rule.status {
        RuleStatus::InForce => rule.covers(date),
        RuleStatus::Adopted | RuleStatus::Draft => {
            options.what_if && (rule.effective_from.is_none() || rule.covers(date))
        }
    }
}

fn basis_of(rule: &Rule) -> Vec<String> {
    rule.basis.iter().map(ToString::to_string).collect()
}

/// A fired rule is suppressed when another fired rule that is not itself suppressed overrides
/// it. The override graph is acyclic (checked at load); `depth` guards against a set that
/// skipped validation.
fn suppressed_by_override(rule: &Rule, fired: &[&Rule], depth: usize) -> bool {
    depth < fired.len()
        && fired.iter().any(|o| {
            !std::ptr::eq(*o, rule)
                && o.overrides.contains(&rule.id)
                && !suppressed_by_override(o, fired, depth + 1)
        })
}

/// Appends the items of `more` that `list` does not hold yet.
fn extend_unique(list: &mut Vec<String>, more: Vec<String>) {
    for item in more {
        if !list.contains(&item) {
            list.push(item);
        }
    }
}

/// The document requirements of the applying rules; one requirement named by several rules is
/// listed once, with all of them (and is optional only if every rule says so).
fn collect_documents(rules: &[&Rule]) -> Vec<DocumentResult> {
    let mut documents: Vec<DocumentResult> = Vec::new();
    for rule in rules {
        for doc in &rule.outcome.documents {
            match documents.iter_mut().find(|d| d.id == doc.id) {
                Some(existing) => {
                    existing.rules.push(rule.id.clone());
                    extend_unique(&mut existing.basis, basis_of(rule));
                    existing.optional &= doc.optional;
                }
                None => documents.push(DocumentResult {
                    id: doc.id.clone(),
                    one_of: doc.one_of.clone(),
                    optional: doc.optional,
                    party: doc.party.clone(),
                    rules: vec![rule.id.clone()],
                    basis: basis_of(rule),
                }),
            }
        }
    }
    documents
}

/// The consents of the applying rules, with their counts; a consent counted zero by its fact
/// (no other co-owners) is left out, an unknown count is kept as unknown.
fn collect_consents(rules: &[&Rule], facts: &FactTable) -> Vec<ConsentResult> {
    let mut consents: Vec<ConsentResult> = Vec::new();
    for rule in rules {
        for consent in &rule.outcome.consents {
            let count = match &consent.count {
                ConsentCount::Fixed(n) => Some(*n),
                ConsentCount::Fact(f) => match facts.get(f) {
                    Some(FactValue::Number(n)) => Some(*n as u32),
                    _ => None,
                },
            };
            if count == Some(0) {
                continue;
            }
            match consents.iter_mut().find(|c| c.id == consent.id) {
                Some(existing) => {
                    existing.rules.push(rule.id.clone());
                    extend_unique(&mut existing.basis, basis_of(rule));
                }
                None => consents.push(ConsentResult {
                    id: consent.id.clone(),
                    from: consent.from.clone(),
                    count,
                    forms: consent.forms.clone(),
                    rules: vec![rule.id.clone()],
                    basis: basis_of(rule),
                }),
            }
        }
    }
    consents
}

/// Collects one outcome field over the applying rules; more than one distinct value is a
/// conflict.
fn single_value<T: Clone + Ord>(
    rules: &[&Rule],
    field: &str,
    get: impl Fn(&Rule) -> Option<T>,
    conflicts: &mut Vec<Conflict>,
) -> Option<T> {
    let values: BTreeSet<T> = rules.iter().filter_map(|r| get(r)).collect();
    if values.len() > 1 {
        conflicts.push(Conflict {
            field: field.into(),
            rules: rules
                .iter()
                .filter(|r| get(r).is_some())
                .map(|r| r.id.clone())
                .collect(),
        });
    }
    values.into_iter().next()
}

/// Whether a rule that is still waiting for facts could change what the case gets. While the
/// case proceeds (or goes to a service that takes this checklist), anything but a notice can;
/// once it is refused, not required or sent elsewhere, only another decision or an override
/// of a deciding rule can.
fn can_change_the_result(
    rule: &Rule,
    current: Decision,
    takes_checklist: bool,
    deciding: &[&str],
) -> bool {
    let o = &rule.outcome;
    // A rule that would decide what is already decided changes nothing (a child under 14
    // is not asked how long they stay: "not required" either way).
    let decides = o.decision.is_some_and(|d| d != current)
        || rule
            .overrides
            .iter()
            .any(|r| deciding.contains(&r.as_str()));
    if !takes_checklist {
        return decides;
    }
    decides
        || !o.documents.is_empty()
        || !o.consents.is_empty()
        || o.registration.is_some()
        || o.channel.is_some()
        || !rule.overrides.is_empty()
}

/// The documents and consents of a case that does not simply proceed. Another service asks
/// for what the deciding rules require, and for this service's whole checklist as well when
/// every deciding rule says `same_checklist` (foreigners with a residence permit: the same
/// owner's consent). A refusal or "not required" lists nothing.
fn checklist_rules<'r>(decision: Decision, effective: &[&'r Rule]) -> Vec<&'r Rule> {
    let deciding: Vec<&Rule> = effective
        .iter()
        .copied()
        .filter(|r| r.outcome.decision == Some(decision))
        .collect();
    match decision {
        Decision::Proceed => effective.to_vec(),
        Decision::OtherService if deciding.iter().all(|r| r.outcome.same_checklist) => {
            effective.to_vec()
        }
        Decision::OtherService => deciding,
        Decision::Refuse | Decision::NotRequired => Vec::new(),
    }
}

pub fn evaluate(
    set: &RuleSet,
    facts: &FactTable,
    date: NaiveDate,
    options: EvalOptions,
) -> Result<Evaluation, NotCovered> {
    if date < set.covers_from {
        return Err(NotCovered {
            date,
            covers_from: set.covers_from,
        });
    }
    let mut fired: Vec<&Rule> = Vec::new();
    let mut pending_raw: Vec<(&Rule, Vec<String>)> = Vec::new();
    let mut upcoming = Vec::new();
    for rule in &set.rules {
        let mut missing = Vec::new();
        let truth = evaluate_condition(&rule.when, facts, &mut missing);
        if applies(rule, date, options) {
            match truth {
                Truth::True => fired.push(rule),
                Truth::Unknown => pending_raw.push((rule, missing)),
                Truth::False => {}
            }
        } else if truth != Truth::False && rule.effective_from.is_none_or(|from| from > date) {
            upcoming.push(Upcoming {
                rule: rule.id.clone(),
                status: rule.status.code().into(),
                effective_from: rule.effective_from,
                applies: truth == Truth::True,
            });
        }
    }

    let effective: Vec<&Rule> = fired
        .iter()
        .copied()
        .filter(|r| !suppressed_by_override(r, &fired, 0))
        .collect();
    let overridden: BTreeSet<&str> = effective
        .iter()
        .flat_map(|r| r.overrides.iter().map(String::as_str))
        .collect();

    let mut conflicts = Vec::new();
    let decision = single_value(
        &effective,
        "decision",
        |r| r.outcome.decision,
        &mut conflicts,
    );
    let registration = single_value(
        &effective,
        "registration",
        |r| r.outcome.registration.clone(),
        &mut conflicts,
    )
    .or_else(|| match facts.get("service") {
        Some(FactValue::Text(s)) => Some(s.clone()),
        _ => None,
    });
    let channel = single_value(
        &effective,
        "channel",
        |r| r.outcome.channel.clone(),
        &mut conflicts,
    );
    let decision = decision.unwrap_or(Decision::Proceed);
    let proceeding = decision == Decision::Proceed && conflicts.is_empty();

    let listed = if conflicts.is_empty() {
        checklist_rules(decision, &effective)
    } else {
        Vec::new()
    };
    let documents = collect_documents(&listed);
    let consents = collect_consents(&listed, facts);

    let reasons = effective
        .iter()
        .filter(|r| r.outcome.decision.is_some() && r.outcome.decision == Some(decision))
        .filter_map(|r| r.outcome.reason.clone())
        .fold(Vec::new(), |mut acc, r| {
            if !acc.contains(&r) {
                acc.push(r);
            }
            acc
        });
    // A case that does not proceed shows only the notices of the rules that decided it: the
    // general ones ("register within 10 days") would mislead.
    let notices = effective
        .iter()
        .filter(|r| proceeding || r.outcome.decision.is_some())
        .filter_map(|r| {
            r.outcome
                .notice
                .as_ref()
                .map(|t| NoticeResult::new(&r.id, t, r.outcome.notice_applicant.as_ref()))
        })
        .collect();
    let pending_raw: Vec<(&Rule, Vec<String>)> = pending_raw
        .into_iter()
        .filter(|(r, _)| !overridden.contains(r.id.as_str()))
        .collect();
    // Derived facts are asked as the inputs they come from.
    let pending: Vec<Pending> = pending_raw
        .into_iter()
        .map(|(r, needed)| Pending {
            rule: r.id.clone(),
            missing: needed.iter().fold(Vec::new(), |mut acc, f| {
                extend_unique(&mut acc, super::facts::to_ask(f, facts));
                acc
            }),
        })
        .collect();
    let deciding_rules: Vec<&Rule> = effective
        .iter()
        .copied()
        .filter(|r| r.outcome.decision.is_some())
        .collect();
    let takes_checklist = decision == Decision::Proceed
        || (decision == Decision::OtherService
            && deciding_rules.iter().all(|r| r.outcome.same_checklist));
    let deciding: Vec<&str> = deciding_rules.iter().map(|r| r.id.as_str()).collect();
    // Only the rules whose answer can still change what the case gets are pending: a
    // question that changes nothing is not asked (the screens count and list these).
    let pending: Vec<Pending> = pending
        .into_iter()
        .filter(|p| {
            set.rules_with_id(&p.rule)
                .any(|r| can_change_the_result(r, decision, takes_checklist, &deciding))
        })
        .collect();
    let mut missing: Vec<String> = Vec::new();
    for p in &pending {
        extend_unique(&mut missing, p.missing.clone());
    }
    let fired = effective
        .iter()
        .map(|r| Fired {
            rule: r.id.clone(),
            facts: r
                .when
                .facts()
                .into_iter()
                .filter_map(|f| facts.get(f).map(|v| (f.to_owned(), v.to_string())))
                .collect(),
            basis: basis_of(r),
            assumed: r.assumed,
        })
        .collect();

    Ok(Evaluation {
        date,
        ruleset: RulesetStamp {
            id: set.id.clone(),
            version: set.version.clone(),
            sha256: set.sha256.clone(),
        },
        decision: if conflicts.is_empty() {
            decision.into()
        } else {
            Verdict::Conflict
        },
        reasons,
        registration: if proceeding { registration } else { None },
        channel: if proceeding { channel } else { None },
        documents,
        consents,
        pending,
        provisional: !missing.is_empty(),
        missing,
        notices,
        upcoming,
        fired,
        conflicts,
        what_if: options.what_if,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::model::{
        Condition, ConsentCount, ConsentRequirement, Origin, Outcome, Rule, RuleSet, Scalar, Test,
    };

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn rule(id: &str, when: Condition, outcome: Outcome) -> Rule {
        Rule {
            id: id.into(),
            title: Texts::default(),
            status: RuleStatus::InForce,
            effective_from: Some(date(2020, 1, 1)),
            effective_to: None,
            basis: Vec::new(),
            overrides: Vec::new(),
            assumed: false,
            when,
            outcome,
            origin: Origin::default(),
        }
    }

    fn is(fact: &str, value: bool) -> Condition {
        Condition::Fact {
            fact: fact.into(),
            test: Test::Eq(Scalar::Bool(value)),
        }
    }

    fn decide(decision: Decision, reason: &str) -> Outcome {
        Outcome {
            decision: Some(decision),
            reason: Some(reason.into()),
            ..Outcome::default()
        }
    }

    fn set(rules: Vec<Rule>) -> RuleSet {
        RuleSet {
            id: "t".into(),
            version: "1".into(),
            title: Texts::default(),
            sha256: "0".repeat(64),
            covers_from: date(2020, 1, 1),
            laws: Vec::new(),
            vocabulary: Default::default(),
            rules,
        }
    }

    fn facts(pairs: &[(&'static str, bool)]) -> FactTable {
        let mut t = FactTable::default();
        for (k, v) in pairs {
            t.set(k, FactValue::Bool(*v));
        }
        t
    }

    #[test]
    fn disagreeing_rules_give_a_conflict_never_a_silent_pick() {
        let s = set(vec![
            rule("a", is("x", true), decide(Decision::Refuse, "r1")),
            rule("b", is("y", true), decide(Decision::NotRequired, "r2")),
        ]);
        let e = evaluate(
            &s,
            &facts(&[("x", true), ("y", true)]),
            date(2026, 1, 1),
            EvalOptions::default(),
        )
        .unwrap();
        assert_eq!(e.decision, "conflict");
        assert_eq!(
            e.conflicts,
            vec![Conflict {
                field: "decision".into(),
                rules: vec!["a".into(), "b".into()]
            }]
        );
        assert_eq!(e.registration, None);
    }

    #[test]
    fn an_override_settles_it_and_a_suppressed_rule_cannot_suppress() {
        let mut a = rule("a", is("x", true), decide(Decision::Refuse, "r1"));
        let mut b = rule("b", is("y", true), decide(Decision::NotRequired, "r2"));
        let c = rule("c", is("z", true), decide(Decision::Refuse, "r3"));
        a.overrides = vec!["b".into()];
        b.overrides = vec!["c".into()];
        let s = set(vec![a, b, c]);
        let e = evaluate(
            &s,
            &facts(&[("x", true), ("y", true), ("z", true)]),
            date(2026, 1, 1),
            EvalOptions::default(),
        )
        .unwrap();
        // a beats b; b is out, so it does not take c down: a and c both refuse.
        assert_eq!(e.decision, "refuse");
        assert_eq!(e.reasons, vec!["r1".to_string(), "r3".to_string()]);
        let fired: Vec<&str> = e.fired.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(fired, vec!["a", "c"]);
    }

    #[test]
    fn overridden_rules_are_not_pending_and_dates_bound_rules() {
        let mut a = rule("a", is("x", true), Outcome::default());
        a.overrides = vec!["b".into()];
        let b = rule("b", is("unknown", true), Outcome::default());
        let mut later = rule("later", Condition::always(), Outcome::default());
        later.effective_from = Some(date(2027, 1, 1));
        let s = set(vec![a, b, later]);
        let e = evaluate(
            &s,
            &facts(&[("x", true)]),
            date(2026, 1, 1),
            EvalOptions::default(),
        )
        .unwrap();
        assert!(e.pending.is_empty(), "{:?}", e.pending);
        assert_eq!(e.upcoming.len(), 1);
        assert_eq!(e.upcoming[0].rule, "later");
        let e = evaluate(
            &s,
            &facts(&[("x", true)]),
            date(2027, 1, 1),
            EvalOptions::default(),
        )
        .unwrap();
        assert!(e.fired.iter().any(|f| f.rule == "later"));
    }

    #[test]
    fn a_consent_counted_zero_by_a_fact_is_left_out_and_unknown_count_is_kept() {
        let consent = ConsentRequirement {
            id: "co_owner_consent".into(),
            from: "co_owners".into(),
            count: ConsentCount::Fact("dwelling.other_owners".into()),
            forms: vec!["eds".into()],
        };
        let s = set(vec![rule(
            "a",
            Condition::always(),
            Outcome {
                consents: vec![consent],
                ..Outcome::default()
            },
        )]);
        let mut t = FactTable::default();
        t.set("dwelling.other_owners", FactValue::Number(0.0));
        assert!(
            evaluate(&s, &t, date(2026, 1, 1), EvalOptions::default())
                .unwrap()
                .consents
                .is_empty()
        );
        let e = evaluate(
            &s,
            &FactTable::default(),
            date(2026, 1, 1),
            EvalOptions::default(),
        )
        .unwrap();
        assert_eq!(e.consents[0].count, None);
    }

    #[test]
    fn a_refused_case_keeps_only_the_deciding_notices() {
        let texts = |t: &str| Texts {
            ru: t.into(),
            kk: t.into(),
            en: t.into(),
        };
        let general = rule(
            "general",
            Condition::always(),
            Outcome {
                notice: Some(texts("register in 10 days")),
                ..Outcome::default()
            },
        );
        let mut refusal = rule("refusal", is("x", true), decide(Decision::Refuse, "r"));
        refusal.outcome.notice = Some(texts("try the akimat"));
        let s = set(vec![general, refusal]);
        let notices = |x| {
            let e = evaluate(
                &s,
                &facts(&[("x", x)]),
                date(2026, 1, 1),
                EvalOptions::default(),
            );
            e.unwrap()
                .notices
                .into_iter()
                .map(|n| n.en)
                .collect::<Vec<_>>()
        };
        assert_eq!(notices(false), vec!["register in 10 days"]);
        assert_eq!(notices(true), vec!["try the akimat"]);
    }

    #[test]
    fn drafts_apply_only_in_what_if() {
        let mut d = rule("d", Condition::always(), decide(Decision::Refuse, "r"));
        d.status = RuleStatus::Draft;
        d.effective_from = None;
        let s = set(vec![d]);
        let real = evaluate(
            &s,
            &FactTable::default(),
            date(2026, 1, 1),
            EvalOptions::default(),
        )
        .unwrap();
        assert_eq!(real.decision, "proceed");
        assert_eq!(real.upcoming[0].status, "draft");
        let what_if = evaluate(
            &s,
            &FactTable::default(),
            date(2026, 1, 1),
            EvalOptions { what_if: true },
        )
        .unwrap();
        assert_eq!(what_if.decision, "refuse");
        assert!(what_if.what_if);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::rules::facts::{FACTS, FactKind};
    use crate::rules::loader;
    use proptest::prelude::*;

    /// A fully known case: every fact set, from its values (numbers from a small range).
    fn any_case() -> impl Strategy<Value = FactTable> {
        let choices: Vec<BoxedStrategy<FactValue>> = FACTS
            .iter()
            .map(|def| match def.kind {
                FactKind::Enum(values) => proptest::sample::select(values.to_vec())
                    .prop_map(|v| FactValue::Text(v.to_owned()))
                    .boxed(),
                FactKind::Bool => any::<bool>().prop_map(FactValue::Bool).boxed(),
                FactKind::Integer => (0u32..500)
                    .prop_map(|n| FactValue::Number(f64::from(n)))
                    .boxed(),
                FactKind::Number => (0u32..1000)
                    .prop_map(|n| FactValue::Number(f64::from(n) / 4.0))
                    .boxed(),
            })
            .collect();
        choices.prop_map(|values| {
            let mut table = FactTable::default();
            for (def, value) in FACTS.iter().zip(values) {
                table.set(def.id, value);
            }
            table
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// With the shipped rules, no known case on any date ends in a conflict, in real or
        /// what-if evaluation: the static check and the overrides leave no collision.
        #[test]
        fn no_case_of_the_shipped_rules_is_a_conflict(
            case in any_case(),
            days in 0i64..3000,
            what_if in any::<bool>(),
        ) {
            static SET: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
            let set = SET.get_or_init(|| loader::parse(&loader::embedded()).unwrap().set);
            let date = set.covers_from + chrono::Duration::days(days);
            let result = evaluate(set, &case, date, EvalOptions { what_if }).unwrap();
            prop_assert_ne!(result.decision, Verdict::Conflict, "{:?}", result.conflicts);
            prop_assert!(result.pending.is_empty(), "all facts known, yet pending: {:?}", result.pending);
        }
    }
}
