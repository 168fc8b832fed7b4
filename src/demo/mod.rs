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
    pub citizenship: &'static str,
}

/// One fictional application of a person, with the statuses it went through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub year: i32,
    pub registration_type: &'static str,
    pub period_months: Option<u32>,
    pub city: &'static str,
    pub street: &'static str,
    pub house: u32,
    pub apartment: Option<u32>,
    /// The steps of its life, the first being "submitted", each with its day and, for a
    /// refusal, its reason.
    pub steps: Vec<(ApplicationStatus, NaiveDate, Option<&'static str>)>,
    /// Index of the case template (see `templates`).
    pub template: usize,
    /// Consents besides the applicant's personal-data consent: (kind, giver's name).
    pub consents: Vec<(&'static str, String)>,
    pub follow_up: bool,
}

/// Makes fictional people one after another, each IIN new.
pub struct Generator {
    rng: Rng,
    seen: std::collections::HashSet<[u8; 6]>,
    today: NaiveDate,
}

const REFUSAL_REASONS: [&str; 4] = [
    "no_title_documents",
    "consent_refused",
    "not_in_tenancy_contract",
    "area_norm_exceeded",
];

impl Generator {
    pub fn new(seed: u64, today: NaiveDate) -> Generator {
        Generator {
            rng: Rng::new(seed),
            seen: std::collections::HashSet::new(),
            today,
        }
    }

    /// A new person: born between 1935 and last year, with a fresh valid IIN.
    pub fn person(&mut self) -> Person {
        let rng = &mut self.rng;
        let sex = if rng.chance(0.5) {
            Sex::Male
        } else {
            Sex::Female
        };
        let (iin, birth_date) = loop {
            let days = rng.below(365 * 90);
            let born = self.today - Days::new(400 + days as u64);
            let serial = rng.below(10_000) as u16;
            if let Some(iin) = Iin::generate(born, sex, serial) {
                let text = iin.as_string();
                let mut key = [0u8; 6];
                for (i, pair) in text.as_bytes()[..12].chunks(2).enumerate() {
                    key[i] = (pair[0] - b'0') * 10 + (pair[1] - b'0');
                }
                if self.seen.insert(key) {
                    break (text, born);
                }
            }
        };
        let kazakh = rng.chance(0.7);
        let (surname, given_name, patronymic) = names::full_name(rng, kazakh, sex);
        let citizenship = match rng.below(100) {
            0..=95 => "citizen",
            96..=97 => "refugee",
            _ => "stateless",
        };
        Person {
            iin,
            surname,
            given_name,
            patronymic,
            birth_date,
            sex,
            citizenship,
        }
    }

    /// The applications of a person: one mostly, two or three for some.
    pub fn applications(&mut self) -> Vec<Application> {
        let count = match self.rng.below(100) {
            0..=74 => 1,
            75..=94 => 2,
            _ => 3,
        };
        (0..count).map(|_| self.application()).collect()
    }

    fn application(&mut self) -> Application {
        use ApplicationStatus::*;
        let rng = &mut self.rng;
        let submitted = self.today - Days::new(rng.below(3 * 365) as u64);
        let temporary = rng.chance(0.4);
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
                let reason = REFUSAL_REASONS[rng.skewed(REFUSAL_REASONS.len())];
                steps.push((Refused, day(rng, reviewed, 5), Some(reason)));
            }
            77..=84 => steps.push((Withdrawn, day(rng, submitted, 10), None)),
            85..=92 => {
                steps = vec![(AwaitingConsent, submitted, None)];
            }
            _ => {
                steps = vec![(Draft, submitted, None)];
            }
        }
        let city = names::CITIES[rng.skewed(names::CITIES.len())];
        let street = names::STREETS[rng.below(names::STREETS.len())];
        let template = rng.below(TEMPLATE_COUNT);
        let mut consents = Vec::new();
        let givers = match template {
            0 | 4 => 0,
            3 => 2,
            _ => 1,
        };
        for _ in 0..givers {
            let sex = if rng.chance(0.5) {
                Sex::Male
            } else {
                Sex::Female
            };
            let kazakh = rng.chance(0.7);
            let (surname, given, _) = names::full_name(rng, kazakh, sex);
            let kind = if template == 3 { "co_owner" } else { "owner" };
            consents.push((kind, format!("{surname} {given}")));
        }
        Application {
            year: chrono::Datelike::year(&submitted),
            registration_type: if temporary { "temporary" } else { "permanent" },
            period_months: months,
            city,
            street,
            house: rng.below(150) as u32 + 1,
            apartment: rng.chance(0.7).then(|| rng.below(300) as u32 + 1),
            steps,
            template,
            consents,
            follow_up: temporary && template == 4,
        }
    }
}

/// How many case templates [`templates`] gives.
pub const TEMPLATE_COUNT: usize = 6;

/// The facts of the case templates (the facts JSON of `regdesk checklist`): the applicant
/// owns the flat; a tenant with the owner's consent; a parent for a child of 15; co-owners;
/// an arrival from abroad without de-registration proof; an adult relative of the owner.
pub fn templates() -> [&'static str; TEMPLATE_COUNT] {
    [
        r#"{"service":"permanent","applicant":{"age":35,"status":"citizen","capacity":"full","acts_through":"self","arrived_from_abroad":false},"dwelling":{"kind":"private","has_title_documents":true,"applicant_relation":"sole_owner","owners":1}}"#,
        r#"{"service":"temporary","applicant":{"age":28,"status":"citizen","capacity":"full","acts_through":"self","arrived_from_abroad":false,"relative_of_owner":false},"dwelling":{"kind":"private","has_title_documents":true,"applicant_relation":"none","owners":1,"owner_capacity":"full"}}"#,
        r#"{"service":"permanent","applicant":{"age":15,"status":"citizen","capacity":"full","acts_through":"legal_representative","arrived_from_abroad":false,"relative_of_owner":true},"dwelling":{"kind":"private","has_title_documents":true,"applicant_relation":"none","owners":1,"owner_capacity":"full","representative_relation":"sole_owner"}}"#,
        r#"{"service":"permanent","applicant":{"age":41,"status":"citizen","capacity":"full","acts_through":"self","arrived_from_abroad":false},"dwelling":{"kind":"private","has_title_documents":true,"applicant_relation":"co_owner","owners":3,"owner_capacity":"full"}}"#,
        r#"{"service":"permanent","applicant":{"age":30,"status":"citizen","capacity":"full","acts_through":"self","arrived_from_abroad":true,"has_passport":true,"has_deregistration_document":false},"dwelling":{"kind":"private","has_title_documents":true,"applicant_relation":"sole_owner","owners":1}}"#,
        r#"{"service":"permanent","applicant":{"age":52,"status":"citizen","capacity":"full","acts_through":"self","arrived_from_abroad":false,"relative_of_owner":true},"dwelling":{"kind":"private","has_title_documents":true,"applicant_relation":"none","owners":1,"owner_capacity":"full"}}"#,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_have_valid_unique_iins_and_names_skewed_to_the_common_ones() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let mut g = Generator::new(7, today);
        let mut iins = std::collections::HashSet::new();
        let mut surnames = std::collections::HashMap::<String, usize>::new();
        for _ in 0..5_000 {
            let p = g.person();
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
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let mut g = Generator::new(11, today);
        let mut last_statuses = std::collections::HashSet::new();
        for _ in 0..3_000 {
            for a in g.applications() {
                for pair in a.steps.windows(2) {
                    assert!(pair[0].0.change_to(pair[1].0).is_ok(), "{:?}", a.steps);
                    assert!(pair[0].1 <= pair[1].1);
                }
                assert!(a.steps.iter().all(|s| s.1 <= today));
                last_statuses.insert(a.steps.last().unwrap().0);
            }
        }
        assert_eq!(last_statuses.len(), ApplicationStatus::ALL.len());
    }

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let a: Vec<Person> = {
            let mut g = Generator::new(3, today);
            (0..50).map(|_| g.person()).collect()
        };
        let b: Vec<Person> = {
            let mut g = Generator::new(3, today);
            (0..50).map(|_| g.person()).collect()
        };
        assert_eq!(a, b);
    }
}
