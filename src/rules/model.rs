//! The rule set as data, after loading and validation. Pure types: no IO here.

use std::collections::BTreeMap;

use chrono::NaiveDate;

/// A text in the three interface languages.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Texts {
    pub ru: String,
    pub kk: String,
    pub en: String,
}

impl Texts {
    pub fn get(&self, lang: crate::i18n::Lang) -> &str {
        match lang {
            crate::i18n::Lang::Ru => &self.ru,
            crate::i18n::Lang::Kk => &self.kk,
            crate::i18n::Lang::En => &self.en,
        }
    }
}

/// A legal act (or a documented practice) that rules cite.
#[derive(Debug, Clone, PartialEq)]
pub struct Law {
    pub id: String,
    pub title: Texts,
    /// A few words for lists and checklists ("Service standard").
    pub short: Texts,
    /// True when the act's details (number, date) are the best reading, not a confirmed text.
    pub assumed: bool,
    /// The passages rules cite (`basis = ["law: point"]`), each in the three languages.
    pub points: BTreeMap<String, Texts>,
}

/// A citation: an act and, optionally, the point within it (an id of the act's `points`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LawRef {
    pub law: String,
    pub point: Option<String>,
}

impl std::fmt::Display for LawRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.point {
            Some(p) => write!(f, "{} {p}", self.law),
            None => f.write_str(&self.law),
        }
    }
}

/// Whether a rule is law in force (within its dates), adopted but not yet in force, or a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleStatus {
    InForce,
    /// Passed, but with no start date yet (or never started): shown as upcoming, never applied.
    Adopted,
    /// A proposal: only applied in what-if evaluation.
    Draft,
}

impl RuleStatus {
    pub fn code(self) -> &'static str {
        match self {
            RuleStatus::InForce => "in_force",
            RuleStatus::Adopted => "adopted",
            RuleStatus::Draft => "draft",
        }
    }
}

/// A comparison of one fact with constants.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Eq(Scalar),
    Ne(Scalar),
    In(Vec<Scalar>),
    NotIn(Vec<Scalar>),
    Lt(f64),
    Le(f64),
    Gt(f64),
    Ge(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Text(String),
    Bool(bool),
    Number(f64),
}

/// A condition over facts. No scripting: comparisons combined with all / any / not.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Fact { fact: String, test: Test },
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
}

impl Condition {
    /// The always-true condition (a rule with no `when`).
    pub fn always() -> Condition {
        Condition::All(Vec::new())
    }

    /// Fact ids this condition reads, in order of first use.
    pub fn facts(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect_facts(&mut out);
        out
    }

    fn collect_facts<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Condition::Fact { fact, .. } => {
                if !out.contains(&fact.as_str()) {
                    out.push(fact);
                }
            }
            Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| c.collect_facts(out)),
            Condition::Not(c) => c.collect_facts(out),
        }
    }
}

/// A document requirement: present any one of `one_of`.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRequirement {
    pub id: String,
    pub one_of: Vec<String>,
    pub optional: bool,
    /// Whose document: applicant, owner, representative, organization ...
    pub party: String,
}

/// How many consents of one kind are needed.
#[derive(Debug, Clone, PartialEq)]
pub enum ConsentCount {
    Fixed(u32),
    /// As many as a fact says (e.g. `dwelling.other_owners`).
    Fact(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ConsentRequirement {
    pub id: String,
    /// Who gives it: applicant, owner, tenant, co_owners, legal_representative ...
    pub from: String,
    pub count: ConsentCount,
    /// Accepted forms: written, eds, consent_service.
    pub forms: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Decision {
    Proceed,
    Refuse,
    NotRequired,
    OtherService,
}

impl Decision {
    pub const ALL: [Decision; 4] = [
        Decision::Proceed,
        Decision::Refuse,
        Decision::NotRequired,
        Decision::OtherService,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Decision::Proceed => "proceed",
            Decision::Refuse => "refuse",
            Decision::NotRequired => "not_required",
            Decision::OtherService => "other_service",
        }
    }
}

/// What a rule does when it fires.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    pub documents: Vec<DocumentRequirement>,
    pub consents: Vec<ConsentRequirement>,
    pub decision: Option<Decision>,
    pub reason: Option<String>,
    /// Registration type the case gets: `permanent` or `temporary`.
    pub registration: Option<String>,
    /// `desk`, `operator_hall` or `online`.
    pub channel: Option<String>,
    pub notice: Option<Texts>,
    /// The notice as the applicant reads it on a paper, when `notice` speaks to the operator
    /// ("send the applicant to ..."): operator notes stay on screen.
    pub notice_applicant: Option<Texts>,
    /// With `decision = "other_service"`: the other service asks for this service's checklist
    /// too (plus what this rule requires), so the documents and consents are listed.
    pub same_checklist: bool,
}

/// Where a rule was written, for messages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: String,
    pub title: Texts,
    pub status: RuleStatus,
    /// Inclusive; `None` only for adopted rules whose start date is not known.
    pub effective_from: Option<NaiveDate>,
    /// Exclusive.
    pub effective_to: Option<NaiveDate>,
    pub basis: Vec<LawRef>,
    pub overrides: Vec<String>,
    /// The rule encodes an assumption, not a confirmed legal text.
    pub assumed: bool,
    pub when: Condition,
    pub outcome: Outcome,
    pub origin: Origin,
}

impl Rule {
    /// In force on `date`: status in force and the date inside the validity period.
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.status == RuleStatus::InForce && self.covers(date)
    }

    /// The date lies within the rule's period (ignoring status).
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.effective_from.is_some_and(|from| from <= date)
            && self.effective_to.is_none_or(|to| date < to)
    }
}

/// Catalog entries that rule outcomes refer to by id, each with its texts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Vocabulary {
    pub requirements: BTreeMap<String, Texts>,
    pub documents: BTreeMap<String, Texts>,
    pub consents: BTreeMap<String, Texts>,
    pub reasons: BTreeMap<String, Texts>,
    pub parties: BTreeMap<String, Texts>,
    /// What the operator can do when a required document is not available, by requirement id
    /// (optional: shown under a document marked "not available").
    pub if_missing: BTreeMap<String, Texts>,
}

/// A loaded, validated rule set.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSet {
    pub id: String,
    pub version: String,
    pub title: Texts,
    /// SHA-256 over the files the set was loaded from (paths and contents).
    pub sha256: String,
    /// The first date the set describes: evaluating an earlier date is an error, never an
    /// empty checklist. In-force rules without `effective_from` start on it.
    pub covers_from: NaiveDate,
    pub laws: Vec<Law>,
    pub vocabulary: Vocabulary,
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// The text of a citation's point in `lang`; the id itself if the law has no such point.
    pub fn point_text<'a>(
        &'a self,
        reference: &'a LawRef,
        lang: crate::i18n::Lang,
    ) -> Option<&'a str> {
        let point = reference.point.as_deref()?;
        Some(
            self.law(&reference.law)
                .and_then(|l| l.points.get(point))
                .map_or(point, |t| t.get(lang)),
        )
    }

    pub fn law(&self, id: &str) -> Option<&Law> {
        self.laws.iter().find(|l| l.id == id)
    }

    pub fn rules_with_id<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Rule> + 'a {
        self.rules.iter().filter(move |r| r.id == id)
    }
}
