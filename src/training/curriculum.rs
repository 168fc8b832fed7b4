//! The training curriculum (`assets/training/curriculum.toml`): fictional people, one for each
//! kind of case the rule set decides, each with the result it claims. Checked against the rule
//! set in use by `regdesk rules test`, so a lesson never teaches a rule that has changed. Pure:
//! the file's text in, cases and their failures out.

use chrono::NaiveDate;
use serde::Deserialize;
use toml::Spanned;

use crate::core::registration::registration_end;
use crate::core::{ApplicationStatus, Iin};
use crate::rules::facts::Facts;
use crate::rules::loader::{Message, RuleError};
use crate::rules::model::{RuleSet, Texts};
use crate::rules::scenarios::{self, Expect, Scenario};

/// The file as the rule set's messages name it.
pub const FILE: &str = "training/curriculum.toml";

/// The curriculum built into regdesk.
pub fn embedded() -> &'static str {
    include_str!("../../assets/training/curriculum.toml")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CurriculumFile {
    case: Vec<Spanned<Case>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Title {
    ru: String,
    kk: String,
    en: String,
}

/// One fictional applicant and their case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub id: String,
    #[serde(deserialize_with = "title")]
    pub title: Texts,
    pub surname: String,
    pub given_name: String,
    #[serde(default)]
    pub patronymic: String,
    pub iin: String,
    pub date: NaiveDate,
    pub facts: Facts,
    pub claims: Claims,
    /// How the case stands in the seeded training database; absent: it is not seeded (the
    /// trainee meets it at the desk).
    pub seed: Option<Seed>,
}

/// A seeded case's application: its life so far and its address.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// The statuses it went through, the first on the case's date, each a day after the one
    /// before; `expired` the day after the registration's last day.
    pub history: Vec<String>,
    /// A refusal's reason (one of the rule set's reasons); only with `refused`.
    pub refusal: Option<String>,
    /// The months of a temporary registration, 1 to 12; only with one.
    pub months: Option<u32>,
    pub city: String,
    pub street: String,
    pub house: u32,
    pub apartment: Option<u32>,
}

/// Three languages' texts, each required.
pub(super) fn title<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Texts, D::Error> {
    let t = Title::deserialize(d)?;
    Ok(Texts {
        ru: t.ru,
        kk: t.kk,
        en: t.en,
    })
}

/// What a case must come to.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claims {
    pub decision: String,
    /// `permanent`, `temporary`, or absent where the case gets none.
    pub registration: Option<String>,
}

/// A case with the line it starts on.
#[derive(Debug, Clone)]
pub struct Located {
    pub line: usize,
    pub case: Case,
}

/// The cases of a curriculum file, or where its text is wrong.
pub fn parse(text: &str) -> Result<Vec<Located>, RuleError> {
    let file = crate::rules::loader::RuleFile {
        name: FILE.to_owned(),
        text: text.to_owned(),
    };
    let src = crate::rules::loader::source_for(&file);
    match toml::from_str::<CurriculumFile>(text) {
        Ok(parsed) => Ok(parsed
            .case
            .into_iter()
            .map(|c| Located {
                line: src.position(c.span().start).0,
                case: c.into_inner(),
            })
            .collect()),
        Err(e) => Err(src.error(
            e.span().unwrap_or(0..0),
            Message::new("rules.error.syntax").arg("detail", e.message().trim()),
        )),
    }
}

impl Case {
    /// The applicant's full name, as the desk writes it.
    pub fn full_name(&self) -> String {
        [&self.surname, &self.given_name, &self.patronymic]
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The case as a scenario of the rule set: its facts with the birth date the IIN gives,
    /// and what it claims. Refused when the IIN is not a valid one, or the facts give a birth
    /// date of their own (the IIN is the one place it is written).
    pub fn scenario(&self) -> Result<Scenario, Message> {
        let iin = Iin::parse(&self.iin).map_err(|e| {
            Message::new("training.curriculum.bad_iin")
                .arg("iin", &self.iin)
                .arg("detail", e.message_key())
        })?;
        if self.facts.applicant.birth_date.is_some() || self.facts.applicant.age.is_some() {
            return Err(Message::new("training.curriculum.age_twice"));
        }
        let mut facts = self.facts.clone();
        facts.applicant.birth_date = Some(iin.birth_date());
        Ok(Scenario {
            name: self.id.clone(),
            date: self.date,
            what_if: false,
            facts,
            expect: Expect {
                decision: Some(self.claims.decision.clone()),
                registration: Some(
                    self.claims
                        .registration
                        .clone()
                        .unwrap_or_else(|| "none".to_owned()),
                ),
                ..Expect::default()
            },
        })
    }
}

impl Case {
    /// The seeded application's steps, each with its day and a refusal's reason; `None` for
    /// a case that is not seeded. Refused when the history is not one the life cycle allows,
    /// a refusal has no reason of the rule set, or the period does not fit the registration.
    #[allow(clippy::type_complexity)]
    pub fn seeded_steps(
        &self,
        set: &RuleSet,
    ) -> Result<Option<Vec<(ApplicationStatus, NaiveDate, Option<String>)>>, Message> {
        let Some(seed) = &self.seed else {
            return Ok(None);
        };
        let bad = |key: &'static str| Err(Message::new(key));
        if self.claims.decision != "proceed" {
            return bad("training.curriculum.seed.not_proceed");
        }
        let temporary = self.claims.registration.as_deref() == Some("temporary");
        if seed.months.is_some() != temporary || seed.months.is_some_and(|m| !(1..=12).contains(&m))
        {
            return bad("training.curriculum.seed.months");
        }
        let mut steps: Vec<(ApplicationStatus, NaiveDate, Option<String>)> = Vec::new();
        for code in &seed.history {
            let Some(status) = ApplicationStatus::from_code(code) else {
                return bad("training.curriculum.seed.status")
                    .map_err(|m: Message| m.arg("status", code));
            };
            let day = match steps.last() {
                None => self.date,
                Some((ApplicationStatus::Registered, from, _))
                    if status == ApplicationStatus::Expired =>
                {
                    match seed.months.and_then(|m| registration_end(*from, m)) {
                        Some(last) => last + chrono::Days::new(1),
                        None => return bad("training.curriculum.seed.expiry"),
                    }
                }
                Some((_, before, _)) => *before + chrono::Days::new(1),
            };
            match steps.last() {
                None if !matches!(
                    status,
                    ApplicationStatus::Draft
                        | ApplicationStatus::AwaitingConsent
                        | ApplicationStatus::Submitted
                ) =>
                {
                    return bad("training.curriculum.seed.begin")
                        .map_err(|m: Message| m.arg("status", code));
                }
                Some((from, ..)) if from.change_to(status).is_err() => {
                    return bad("training.curriculum.seed.step")
                        .map_err(|m: Message| m.arg("from", from.code()).arg("to", code));
                }
                _ => {}
            }
            let reason = (status == ApplicationStatus::Refused)
                .then(|| seed.refusal.clone())
                .flatten();
            steps.push((status, day, reason));
        }
        if steps.is_empty() {
            return bad("training.curriculum.seed.empty");
        }
        let refused = steps.iter().any(|s| s.0 == ApplicationStatus::Refused);
        match &seed.refusal {
            Some(reason) if !refused => {
                return bad("training.curriculum.seed.refusal_unused")
                    .map_err(|m: Message| m.arg("reason", reason));
            }
            Some(reason) if !set.vocabulary.reasons.contains_key(reason) => {
                return bad("training.curriculum.seed.refusal_unknown")
                    .map_err(|m: Message| m.arg("reason", reason));
            }
            None if refused => return bad("training.curriculum.seed.no_refusal"),
            _ => {}
        }
        Ok(Some(steps))
    }
}

/// Every case whose result differs from its claims (or that cannot be evaluated), with why;
/// empty when the curriculum holds under `set`. Ids must be unique.
pub fn check(set: &RuleSet, cases: &[Located]) -> Vec<(Located, Vec<Message>)> {
    let mut failed = Vec::new();
    for (i, located) in cases.iter().enumerate() {
        let mut failures = match located.case.scenario() {
            Ok(scenario) => scenarios::check(set, &scenario),
            Err(message) => vec![message],
        };
        if let Err(message) = located.case.seeded_steps(set) {
            failures.push(message);
        }
        if cases[..i].iter().any(|c| c.case.id == located.case.id) {
            failures
                .push(Message::new("training.curriculum.duplicate").arg("id", &located.case.id));
        }
        if !failures.is_empty() {
            failed.push((located.clone(), failures));
        }
    }
    failed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::loader;

    fn shipped_set() -> RuleSet {
        loader::parse(&loader::embedded()).unwrap().set
    }

    /// The shipped curriculum loads, covers every kind of case the issue names, and every case
    /// gives what it claims under the shipped rule set.
    #[test]
    fn every_curriculum_case_gives_its_claimed_result() {
        let cases = parse(embedded()).unwrap();
        assert!(cases.len() >= 18, "{}", cases.len());
        let failed = check(&shipped_set(), &cases);
        let described: Vec<String> = failed
            .iter()
            .map(|(c, f)| format!("{} (line {}): {f:?}", c.case.id, c.line))
            .collect();
        assert!(described.is_empty(), "{described:#?}");
        let decisions: std::collections::BTreeSet<&str> = cases
            .iter()
            .map(|c| c.case.claims.decision.as_str())
            .collect();
        for decision in ["proceed", "refuse", "not_required", "other_service"] {
            assert!(decisions.contains(decision), "{decision}: {decisions:?}");
        }
    }

    /// A case whose claim is wrong, whose IIN is not valid or whose age is written twice fails,
    /// named, with its line.
    #[test]
    fn a_wrong_claim_a_bad_iin_or_a_second_age_fails_the_case() {
        let set = shipped_set();
        let text = embedded();
        let wrong = text.replacen(
            "claims = { decision = \"proceed\", registration = \"permanent\" }",
            "claims = { decision = \"refuse\", registration = \"permanent\" }",
            1,
        );
        let failed = check(&set, &parse(&wrong).unwrap());
        assert_eq!(failed.len(), 1, "{failed:?}");
        assert_eq!(failed[0].0.case.id, "owner");
        assert!(failed[0].0.line > 1);
        let first_iin = &parse(text).unwrap()[0].case.iin;
        let mut bad = first_iin.clone();
        bad.replace_range(11.., if bad.ends_with('0') { "1" } else { "0" });
        let failed = check(&set, &parse(&text.replacen(first_iin, &bad, 1)).unwrap());
        assert_eq!(failed[0].1[0].key, "training.curriculum.bad_iin");
        let twice = text.replacen("applicant = { ", "applicant = { age = 35, ", 1);
        let failed = check(&set, &parse(&twice).unwrap());
        assert_eq!(failed[0].1[0].key, "training.curriculum.age_twice");
        let broken = parse("[[case]]\nid = 1\n").unwrap_err();
        assert_eq!(broken.file, FILE);
    }
}
