//! Fictional people and their applications for training and benchmarks: valid IINs of all
//! ages, Kazakh and Russian names with their real frequency skew (many Ахметов, few
//! Әбілқайыров), addresses in several cities, applications in every status with a life cycle
//! that the real one allows. Pure and seeded: the same seed gives the same people. Nothing
//! here is a real person.

mod names;

use chrono::{Days, NaiveDate};

use crate::core::{ApplicationStatus, Iin, Sex};

/// A small, fast, seeded generator (SplitMix64): demo data needs variety, not cryptography.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }

    /// A number in 0..1.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An index into a list ordered from most to least frequent: the first entries come far
    /// more often than the last (a Zipf-like skew, as surnames are distributed).
    pub fn skewed(&mut self, n: usize) -> usize {
        let u = self.unit();
        ((n as f64) * u * u * u) as usize % n.max(1)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// One fictional applicant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub iin: String,
    pub surname: String,
    pub given_name: String,
    pub patronymic: Option<String>,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub citizenship: String,
}

/// One fictional application of a person, with the statuses it went through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub year: i32,
    /// What the rules register for its case: `permanent` or `temporary`.
    pub registration_type: &'static str,
    pub period_months: Option<u32>,
    pub city: String,
    pub street: String,
    pub house: u32,
    pub apartment: Option<u32>,
    pub dwelling_kind: String,
    /// The steps of its life, the first being "submitted", each with its day and, for a
    /// refusal, its reason.
    pub steps: Vec<(ApplicationStatus, NaiveDate, Option<String>)>,
    /// Index of its decision record (the case template's, see [`TEMPLATES`]).
    pub template: usize,
    /// Consents besides the applicant's personal-data consent: (kind, giver's name).
    pub consents: Vec<(&'static str, String)>,
    /// Documents presented: (requirement, document, party). None in bulk demo data.
    pub documents: Vec<(String, String, String)>,
    pub follow_up: bool,
}

/// A kind of case the demo data is made of: facts the real rules decide, and what an
/// application of that case looks like. Every demo application follows its template: the
/// applicant's age is in `ages` on the day it is submitted, its registration is the one the
/// rules give, its consents are the ones they ask for (checked by a test against the rules).
#[derive(Debug, Clone, Copy)]
pub struct Template {
    /// The facts JSON of `regdesk checklist`, without the applicant's age: the IIN gives it.
    pub facts: &'static str,
    pub ages: (u32, u32),
    pub registration: &'static str,
    pub dwelling_kind: &'static str,
    pub citizenship: &'static str,
    /// The consents the rules ask besides the applicant's personal data, by kind.
    pub consents: &'static [&'static str],
    /// Reasons a back office could refuse such a case for.
    pub refusals: &'static [&'static str],
    /// Registered for the time it takes to bring a document (`deregistration_document`).
    pub follow_up: bool,
    /// How often, of 100 people.
    pub weight: usize,
}

const ADULT: (u32, u32) = (18, 85);

/// The case templates: the applicant owns the flat; a tenant with the owner's consent; a
/// parent (the owner) for a child of 14 or 15; a co-owner of three; an arrival from abroad
/// without de-registration proof; an adult relative of the owner; a refugee in an
/// organization's housing.
pub const TEMPLATES: [Template; 7] = [
    Template {
        facts: r#"{"service":"permanent","applicant":{"status":"citizen","capacity":"full","acts_through":"self","arrived_from_abroad":false},"dwelling":{"kind":"private","has_title_documents":true,"applicant_relation":"sole_owner","owners":1}}"#,
        ages: ADULT,
        registration: "permanent",
        dwelling_kind: "private",
        citizenship: "citizen",
        consents: &[],
        refusals: &["no_title_documents"],
        follow_up: false,
        weight: 30,
    },
    Template {
        facts: r#"{"service":"temporary","applicant":{"status":"citizen","capacity":"full","acts_through":"self","arrived_from_abroad":false,"relative_of_owner":false},"dwelling":{"kind":"private","has_title_documents":true,"applicant_relation":"none","owners":1,"owner_capacity":"full"}}"#,
        ages: ADULT,
        registration: "temporary",
        dwelling_kind: "private",
        citizenship: "citizen",
        consents: &["owner"],
        refusals: &["consent_refused", "area_norm_exceeded"],
        follow_up: false,
        weight: 22,
    },
    Template {
        facts: r#"{"service":"permanent","applicant":{"status":"citizen","capacity":"full","acts_through":"legal_representative","arrived_from_abroad":false,"relative_of_owner":true},"dwelling":{"kind":"private","has_title_documents":true,"applicant_relation":"none","owners":1,"owner_capacity":"full","representative_relation":"sole_owner"}}"#,
        ages: (14, 15),
        registration: "permanent",
        dwelling_kind: "private",
        citizenship: "citizen",
        consents: &["owner"],
        refusals: &["no_title_documents"],
        follow_up: false,
        weight: 8,
    },
    Template {
        facts: r#"{"service":"permanent","applicant":{"status":"citizen","capacity":"full","acts_through":"self","arrived_from_abroad":false},"dwelling":{"kind":"private","has_title_documents":true,"applicant_relation":"co_owner","owners":3,"owner_capacity":"full"}}"#,
        ages: ADULT,
        registration: "permanent",
        dwelling_kind: "private",
        citizenship: "citizen",
        consents: &["co_owner", "co_owner"],
        refusals: &["consent_refused"],
        follow_up: false,
        weight: 14,
    },
    Template {
        facts: r#"{"service":"permanent","applicant":{"status":"citizen","capacity":"full","acts_through":"self","arrived_from_abroad":true,"has_passport":true,"has_deregistration_document":false},"dwelling":{"kind":"private","has_title_documents":true,"applicant_relation":"sole_owner","owners":1}}"#,
        ages: ADULT,
        registration: "temporary",
        dwelling_kind: "private",
        citizenship: "citizen",
        consents: &[],
        refusals: &["no_title_documents"],
        follow_up: true,
        weight: 6,
    },
    Template {
        facts: r#"{"service":"permanent","applicant":{"status":"citizen","capacity":"full","acts_through":"self","arrived_from_abroad":false,"relative_of_owner":true},"dwelling":{"kind":"private","has_title_documents":true,"applicant_relation":"none","owners":1,"owner_capacity":"full"}}"#,
        ages: ADULT,
        registration: "permanent",
        dwelling_kind: "private",
        citizenship: "citizen",
        consents: &["owner"],
        refusals: &["consent_refused", "area_norm_exceeded"],
        follow_up: false,
        weight: 17,
    },
    Template {
        facts: r#"{"service":"permanent","applicant":{"status":"refugee","capacity":"full","acts_through":"self","arrived_from_abroad":true,"has_deregistration_document":false},"dwelling":{"kind":"organization","applicant_relation":"none"}}"#,
        ages: ADULT,
        registration: "temporary",
        dwelling_kind: "organization",
        citizenship: "refugee",
        consents: &[],
        refusals: &["not_in_tenancy_contract"],
        follow_up: true,
        weight: 3,
    },
];

/// Makes fictional people one after another, each IIN new.
pub struct Generator {
    rng: Rng,
    seen: std::collections::HashSet<[u8; 6]>,
    today: NaiveDate,
}

impl Generator {
    pub fn new(seed: u64, today: NaiveDate) -> Generator {
        Generator {
            rng: Rng::new(seed),
            seen: std::collections::HashSet::new(),
            today,
        }
    }

    /// A template, in proportion to the weights.
    fn template(&mut self) -> usize {
        let total: usize = TEMPLATES.iter().map(|t| t.weight).sum();
        let mut pick = self.rng.below(total);
        for (i, t) in TEMPLATES.iter().enumerate() {
            if pick < t.weight {
                return i;
            }
            pick -= t.weight;
        }
        0
    }

    /// A new applicant with their applications: one mostly, two or three for some adults,
    /// each following its template, the person born so that every application finds them at
    /// an age the template is for.
    pub fn applicant(&mut self) -> (Person, Vec<Application>) {
        let first = self.template();
        let (low, high) = TEMPLATES[first].ages;
        let count = if low < 18 {
            1
        } else {
            match self.rng.below(100) {
                0..=74 => 1,
                75..=94 => 2,
                _ => 3,
            }
        };
        let mut templates = vec![first];
        while templates.len() < count {
            let next = self.template();
            let (a, b) = (TEMPLATES[next], TEMPLATES[first]);
            if a.ages == b.ages && a.citizenship == b.citizenship {
                templates.push(next);
            }
        }
        let applications: Vec<Application> =
            templates.into_iter().map(|t| self.application(t)).collect();
        let earliest = applications.iter().map(|a| a.steps[0].1).min();
        let latest = applications.iter().map(|a| a.steps[0].1).max();
        let (earliest, latest) = (earliest.unwrap_or(self.today), latest.unwrap_or(self.today));
        // Born at least `low` years before the first submission and less than `high + 1`
        // years before the last one.
        let newest = years_before(earliest, low);
        let oldest = years_before(latest, high + 1) + Days::new(1);
        let span = (newest - oldest).num_days().max(0) as usize;
        let born = oldest + Days::new(self.rng.below(span + 1) as u64);
        let person = self.person(born, TEMPLATES[applications[0].template].citizenship);
        (person, applications)
    }

    /// A person born on `born` with a fresh valid IIN.
    fn person(&mut self, born: NaiveDate, citizenship: &'static str) -> Person {
        let rng = &mut self.rng;
        let sex = if rng.chance(0.5) {
            Sex::Male
        } else {
            Sex::Female
        };
        let iin = loop {
            let serial = rng.below(10_000) as u16;
            if let Some(iin) = Iin::generate(born, sex, serial) {
                let text = iin.as_string();
                let mut key = [0u8; 6];
                for (i, pair) in text.as_bytes()[..12].chunks(2).enumerate() {
                    key[i] = (pair[0] - b'0') * 10 + (pair[1] - b'0');
                }
                if self.seen.insert(key) {
                    break text;
                }
            }
        };
        let kazakh = rng.chance(0.7);
        let (surname, given_name, patronymic) = names::full_name(rng, kazakh, sex);
        Person {
            iin,
            surname,
            given_name,
            patronymic,
            birth_date: born,
            sex,
            citizenship: citizenship.to_owned(),
        }
    }

    fn application(&mut self, template: usize) -> Application {
        use ApplicationStatus::*;
        let t = TEMPLATES[template];
        let rng = &mut self.rng;
        let submitted = self.today - Days::new(rng.below(3 * 365) as u64);
        let temporary = t.registration == "temporary";
        let months = temporary.then(|| [3, 6, 12, 1][rng.below(4)]);
        let day = |rng: &mut Rng, from: NaiveDate, most: usize| {
            (from + Days::new(rng.below(most) as u64 + 1)).min(self.today)
        };
        let mut steps = vec![(Submitted, submitted, None)];
        let fate = rng.below(100);
        let reviewed = day(rng, submitted, 3);
        match fate {
            0..=44 => {
                if rng.chance(0.3) {
                    steps.push((UnderReview, reviewed, None));
                }
                let registered = day(rng, reviewed, 4);
                steps.push((Registered, registered, None));
                if let Some(m) = months {
                    let end = crate::core::registration::registration_end(registered, m);
                    if end.is_some_and(|e| e < self.today) {
                        steps.push((Expired, end.unwrap_or(registered) + Days::new(1), None));
                    }
                }
            }
            45..=56 => {}
            57..=64 => steps.push((UnderReview, reviewed, None)),
            65..=76 => {
                let reason = t.refusals[rng.skewed(t.refusals.len())];
                steps.push((Refused, day(rng, reviewed, 5), Some(reason.to_owned())));
            }
            77..=84 => steps.push((Withdrawn, day(rng, submitted, 10), None)),
            85..=92 if !t.consents.is_empty() => {
                steps = vec![(AwaitingConsent, submitted, None)];
            }
            _ => {
                steps = vec![(Draft, submitted, None)];
            }
        }
        let city = names::CITIES[rng.skewed(names::CITIES.len())];
        let street = names::STREETS[rng.below(names::STREETS.len())];
        let mut consents = Vec::new();
        let registered = steps.last().is_some_and(|s| s.0 == Registered);
        for kind in t.consents {
            consents.push((*kind, giver_name(rng)));
        }
        if steps[0].0 == AwaitingConsent {
            // Awaiting the last of them.
            consents.pop();
        }
        Application {
            year: chrono::Datelike::year(&submitted),
            registration_type: t.registration,
            period_months: months,
            city: city.to_owned(),
            street: street.to_owned(),
            house: rng.below(150) as u32 + 1,
            apartment: rng.chance(0.7).then(|| rng.below(300) as u32 + 1),
            dwelling_kind: t.dwelling_kind.to_owned(),
            steps,
            template,
            consents,
            documents: Vec::new(),
            follow_up: t.follow_up && registered,
        }
    }
}

/// The consents an evaluation asks besides the applicant's personal data, one kind
/// (`owner`, `co_owner`) for each person who gives one, in the order asked.
pub fn consent_kinds(e: &crate::rules::Evaluation) -> Vec<&'static str> {
    let mut kinds = Vec::new();
    for c in e
        .consents
        .iter()
        .filter(|c| c.id != "personal_data_consent")
    {
        let kind = if c.id == "co_owner_consent" {
            "co_owner"
        } else {
            "owner"
        };
        kinds.extend(std::iter::repeat_n(kind, c.count.unwrap_or(1) as usize));
    }
    kinds
}

/// The name of someone who gives a consent: "surname given name".
pub fn giver_name(rng: &mut Rng) -> String {
    let sex = if rng.chance(0.5) {
        Sex::Male
    } else {
        Sex::Female
    };
    let kazakh = rng.chance(0.7);
    let (surname, given, _) = names::full_name(rng, kazakh, sex);
    format!("{surname} {given}")
}

/// The day `years` years before `day` (28 February for a 29th that year lacks).
pub fn years_before(day: NaiveDate, years: u32) -> NaiveDate {
    day.checked_sub_months(chrono::Months::new(12 * years))
        .unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::facts::age_at;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    #[test]
    fn people_have_valid_unique_iins_and_names_skewed_to_the_common_ones() {
        let mut g = Generator::new(7, today());
        let mut iins = std::collections::HashSet::new();
        let mut surnames = std::collections::HashMap::<String, usize>::new();
        for _ in 0..5_000 {
            let (p, _) = g.applicant();
            let iin = Iin::parse(&p.iin).expect("valid IIN");
            assert_eq!(iin.birth_date(), p.birth_date);
            assert_eq!(iin.sex(), p.sex);
            assert!(iins.insert(p.iin.clone()));
            assert!(
                crate::core::PersonName::parse(&p.surname).is_ok(),
                "{}",
                p.surname
            );
            let stem = p.surname.trim_end_matches('а').to_owned();
            *surnames.entry(stem).or_default() += 1;
        }
        let common = surnames.get("Ахметов").copied().unwrap_or(0);
        let rare = surnames.get("Әбілқайыров").copied().unwrap_or(0);
        assert!(
            common > 5 * rare.max(1),
            "Ахметов {common}, Әбілқайыров {rare}"
        );
    }

    #[test]
    fn every_life_cycle_is_one_the_real_one_allows_and_every_status_occurs() {
        let mut g = Generator::new(11, today());
        let mut last_statuses = std::collections::HashSet::new();
        for _ in 0..3_000 {
            for a in g.applicant().1 {
                for pair in a.steps.windows(2) {
                    assert!(pair[0].0.change_to(pair[1].0).is_ok(), "{:?}", a.steps);
                    assert!(pair[0].1 <= pair[1].1);
                }
                assert!(a.steps.iter().all(|s| s.1 <= today()));
                last_statuses.insert(a.steps.last().unwrap().0);
            }
        }
        assert_eq!(last_statuses.len(), ApplicationStatus::ALL.len());
    }

    /// The issue's example: no 11-year-old with a permanent registration of his own. Every
    /// application finds its applicant at an age its template is for, with the registration,
    /// dwelling, citizenship and consents of that template, and every template occurs.
    #[test]
    fn every_application_follows_its_template_at_the_applicants_age() {
        let mut g = Generator::new(5, today());
        let mut seen = std::collections::BTreeSet::new();
        let mut ages = std::collections::BTreeSet::new();
        for _ in 0..20_000 {
            let (p, applications) = g.applicant();
            for a in &applications {
                let t = TEMPLATES[a.template];
                seen.insert(a.template);
                let age = age_at(p.birth_date, a.steps[0].1).expect("born before");
                ages.insert(age);
                assert!(
                    (t.ages.0..=t.ages.1).contains(&age),
                    "template {} at {age}: {p:?} {a:?}",
                    a.template
                );
                assert_eq!(a.registration_type, t.registration);
                assert_eq!(a.period_months.is_some(), t.registration == "temporary");
                assert_eq!(a.dwelling_kind, t.dwelling_kind);
                assert_eq!(p.citizenship, t.citizenship);
                let kinds: Vec<&str> = a.consents.iter().map(|c| c.0).collect();
                if a.steps[0].0 == ApplicationStatus::AwaitingConsent {
                    assert_eq!(kinds.len() + 1, t.consents.len());
                } else {
                    assert_eq!(kinds, t.consents);
                }
                if let Some((ApplicationStatus::Refused, _, reason)) = a.steps.last() {
                    assert!(t.refusals.contains(&reason.as_deref().unwrap()));
                }
            }
        }
        assert_eq!(seen.len(), TEMPLATES.len());
        assert!(ages.contains(&14) && ages.contains(&85), "{ages:?}");
        assert!(
            !ages
                .iter()
                .any(|a| (0..14).contains(a) || (16..18).contains(a))
        );
    }

    /// Each template is decided by the shipped rules as it says, at both ends of its ages:
    /// proceed, its registration, and exactly its consents.
    #[test]
    fn every_template_is_what_the_rules_decide_at_both_ends_of_its_ages() {
        use crate::rules::{EvalOptions, FactTable, evaluate, facts_json, loader};
        let set = loader::parse(&loader::embedded()).unwrap().set;
        for (i, t) in TEMPLATES.iter().enumerate() {
            assert!(!t.facts.contains("\"age\""), "template {i} names an age");
            for reason in t.refusals {
                assert!(set.vocabulary.reasons.contains_key(*reason), "{reason}");
            }
            for age in [t.ages.0, t.ages.1] {
                let mut facts = facts_json::parse(t.facts).unwrap();
                facts.applicant.age = Some(age);
                let table = FactTable::build(&facts, today()).unwrap();
                let e = evaluate(&set, &table, today(), EvalOptions::default()).unwrap();
                let said = format!("template {i} at {age}");
                assert_eq!(e.decision.to_string(), "proceed", "{said}");
                assert_eq!(e.registration.as_deref(), Some(t.registration), "{said}");
                assert_eq!(consent_kinds(&e), t.consents, "{said}");
                let follow_up = e
                    .fired
                    .iter()
                    .any(|f| f.rule == "arrival_without_deregistration");
                assert_eq!(follow_up, t.follow_up, "{said}");
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let people = |seed| {
            let mut g = Generator::new(seed, today());
            (0..50).map(|_| g.applicant()).collect::<Vec<_>>()
        };
        assert_eq!(people(3), people(3));
        assert_ne!(people(3), people(4));
    }
}
