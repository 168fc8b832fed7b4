//! The default rule set, compiled into the binary so that regdesk works with no files beside
//! it. A test checks that this list matches the files under `assets/rules`.

macro_rules! rule_files {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../assets/rules/", $name)))),*]
    };
}

pub const FILES: &[(&str, &str)] = rule_files![
    "ruleset.toml",
    "rules/10-applicant.toml",
    "rules/20-dwelling.toml",
    "rules/30-arrivals.toml",
    "rules/40-stay-and-area.toml",
    "rules/50-channel.toml",
    "rules/90-drafts.toml",
    "tests/01-worked-examples.toml",
    "tests/02-applicant.toml",
    "tests/03-dwelling.toml",
    "tests/04-arrivals-and-foreigners.toml",
    "tests/05-stay-area-channel-dates.toml",
    "tests/06-review-corrections.toml",
    "tests/07-representation-and-minors.toml",
];
