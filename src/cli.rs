//! The command line. `regdesk` alone opens the desk; subcommands (rules, checklist, export ...)
//! come with later capabilities and hang off [`Command`].

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::i18n::Lang;

#[derive(Debug, Parser)]
#[command(
    name = "regdesk",
    version,
    about = "Desk for registration at place of residence (Kazakhstan)"
)]
pub struct Cli {
    /// Database file (created on first start). Default: regdesk.sqlite in the user's data folder.
    #[arg(long, value_name = "PATH", global = true, env = "REGDESK_DB")]
    pub db: Option<PathBuf>,

    /// Interface language: ru, kk or en. Default: from LANG, else ru.
    #[arg(long, value_name = "LANG", global = true)]
    pub lang: Option<Lang>,

    /// Rule set folder (ruleset.toml, rules/, tests/). Default: the set built into regdesk.
    #[arg(long, value_name = "DIR", global = true, env = "REGDESK_RULES")]
    pub rules: Option<PathBuf>,

    /// Key file of an encrypted database, for kiosks and scripts (made by `regdesk key-file`).
    /// Without it, a command on an encrypted database asks for a login and password.
    #[arg(long, value_name = "FILE", global = true, env = "REGDESK_KEY_FILE")]
    pub key_file: Option<PathBuf>,

    /// The account a command acts as (its password is asked, or read with --password-stdin).
    /// Every command on a real database acts as an account, and its role must allow it;
    /// without this option the login is asked on the terminal.
    #[arg(
        id = "acting_login",
        long = "login",
        visible_alias = "admin",
        value_name = "LOGIN",
        global = true,
        env = "REGDESK_LOGIN"
    )]
    pub login: Option<String>,

    /// Read passwords from standard input, one a line (the account's first, then a new one),
    /// instead of asking them on the terminal.
    #[arg(long, global = true)]
    pub password_stdin: bool,

    /// Training mode on a separate database of fictional data, marked TRAINING on screen.
    #[arg(long, global = true)]
    pub training: bool,

    /// Lock the desk after this idle time: minutes, or seconds with "s" ("90s"); 0: never.
    /// The same operator unlocks it with their password.
    #[arg(long, value_name = "MINUTES", global = true, env = "REGDESK_LOCK_AFTER", default_value = "10", value_parser = idle_time)]
    pub lock_after: std::time::Duration,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// A day as `YYYY-MM-DD`, with a four-digit year: chrono alone would also take "+10000-01-01",
/// which no record can be compared with.
fn day(text: &str) -> Result<chrono::NaiveDate, String> {
    let shape = text.len() == 10
        && text.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            _ => c.is_ascii_digit(),
        });
    shape
        .then(|| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .flatten()
        .ok_or_else(|| format!("'{text}': a day as YYYY-MM-DD"))
}

/// "10" (minutes) or "90s" (seconds), up to a day.
fn idle_time(text: &str) -> Result<std::time::Duration, String> {
    let (number, unit) = match text.strip_suffix('s') {
        Some(seconds) => (seconds, 1),
        None => (text, 60),
    };
    let n: u64 = number
        .trim()
        .parse()
        .map_err(|_| format!("'{text}': minutes (10) or seconds (90s)"))?;
    let seconds = n.saturating_mul(unit);
    if seconds > 24 * 3600 {
        return Err(format!("'{text}': at most a day"));
    }
    Ok(std::time::Duration::from_secs(seconds))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the terminal desk (the default when no subcommand is given).
    Desk,
    /// Validate or test a rule set (default: the one built into regdesk).
    Rules {
        #[command(subcommand)]
        action: RulesAction,
    },
    /// Which documents and consents a case needs, and why.
    Checklist(ChecklistArgs),
    /// Print a paper: the "what to bring" sheet of a case.
    Print {
        #[command(subcommand)]
        what: PrintWhat,
    },
    /// The center profile (name, BIN, address, phone) the papers and consents name.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Find applications by IIN, application number or the start of a name: exit 0 with
    /// results, 1 with none, 2 on bad arguments.
    Lookup(LookupArgs),
    /// Move temporary registrations whose period has ended to "expired".
    Expire,
    /// Temporary registrations ending within --within days, or (--follow-ups) still waiting
    /// for a document, the soonest first: for reminders. Exit 0 with some, 1 with none.
    Due {
        #[arg(long, default_value = "30", value_parser = clap::value_parser!(u32).range(0..=366))]
        within: u32,
        /// The registrations still waiting for a follow-up document instead.
        #[arg(long)]
        follow_ups: bool,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Reports for the center.
    Report {
        #[command(subcommand)]
        what: ReportWhat,
    },
    /// A consistent copy of the database into a new file, while desks keep working.
    Backup {
        /// The new file (it must not exist).
        path: PathBuf,
    },
    /// Put a backup in place of the database (--db, or the default one), after checking it.
    Restore {
        /// The backup file.
        from: PathBuf,
        /// Replace an existing database (never one a desk has open).
        #[arg(long)]
        replace: bool,
    },
    /// Operator accounts (administrators): add, list, disable, reset a password.
    Operator(OperatorArgs),
    /// Encrypt a plain database in place (an administrator, --admin LOGIN): a power cut
    /// during it leaves the plain file as it was. Close every desk using it first.
    Encrypt,
    /// Give the encrypted database a new key (an administrator): after a key file or a
    /// password leaked. Only this administrator can open it afterwards; the other accounts
    /// sign in after a password reset. Close every desk using it first.
    Rekey,
    /// Write a new key file for the encrypted database (an administrator), for kiosks and
    /// scripts (--key-file). It replaces the key file made before, which no longer opens it.
    KeyFile {
        /// The new file (it must not exist).
        path: PathBuf,
        /// What whoever holds the key file may do: operator (lookups, reprints, due),
        /// supervisor (also the daily report, audit verify, expire) or admin (everything).
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(["operator", "supervisor", "admin"]))]
        role: String,
    },
    /// Anonymise applicants whose applications all closed more than --years ago: lists them,
    /// and with --apply replaces their names, IIN, address and the like (statistics stay).
    Retention {
        /// The retention period in years.
        #[arg(long, default_value = "5", value_parser = clap::value_parser!(u32).range(1..=100))]
        years: u32,
        /// Anonymise them (without it, only list what would change).
        #[arg(long)]
        apply: bool,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Fictional demonstration and benchmark data.
    Demo {
        #[command(subcommand)]
        action: DemoAction,
    },
    /// Training mode's tools, on the training database (--db, else the default one).
    Training(TrainingArgs),
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["reset", "lesson", "list"])))]
pub struct TrainingArgs {
    /// Put the training database back to its seeded state: the curriculum's applications in
    /// every status; accounts and the audit log stay. Creates the database when absent.
    #[arg(long)]
    pub reset: bool,
    /// Play a lesson on the desk (the training database is reset first): each caption waits
    /// for a key (Space: play the step, ←: back a step, Esc: end the lesson).
    #[arg(long, value_name = "NAME")]
    pub lesson: Option<String>,
    /// List the lessons.
    #[arg(long)]
    pub list: bool,
    /// How fast a lesson's keys are played.
    #[arg(long, value_enum, default_value = "normal")]
    pub speed: LessonSpeed,
}

/// How fast a lesson's keys are played.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LessonSpeed {
    /// A key every 250 ms: for a projector, the class follows every key.
    Slow,
    /// A key every 80 ms.
    Normal,
    /// A key every 10 ms: to get on quickly.
    Fast,
}

impl LessonSpeed {
    pub fn delay(self) -> std::time::Duration {
        std::time::Duration::from_millis(match self {
            LessonSpeed::Slow => 250,
            LessonSpeed::Normal => 80,
            LessonSpeed::Fast => 10,
        })
    }
}

/// Status codes, as `--status` takes them.
pub const STATUS_CODES: [&str; 8] = [
    "draft",
    "awaiting_consent",
    "submitted",
    "under_review",
    "registered",
    "refused",
    "withdrawn",
    "expired",
];

#[derive(Debug, clap::Args)]
pub struct LookupArgs {
    /// An IIN (12 digits), an application number (RD-2026-000123, rd2026123, РД-...), or the
    /// start of a surname or full name ("Әбд", "ахметов нұр").
    pub query: String,
    /// Only applications with this status.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(STATUS_CODES))]
    pub status: Option<String>,
    /// Only applications made on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = day)]
    pub from: Option<chrono::NaiveDate>,
    /// Only applications made on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = day)]
    pub to: Option<chrono::NaiveDate>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// At most this many results (1 to 1000).
    #[arg(long, default_value = "20", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub limit: u32,
}

#[derive(Debug, Subcommand)]
pub enum ReportWhat {
    /// Status changes of one day: by status, by refusal reason, per operator, as CSV.
    Daily {
        /// The day (YYYY-MM-DD, local time). Default: today.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = day)]
        date: Option<chrono::NaiveDate>,
        /// Where to write the CSV (readable by its owner only); - for standard output.
        #[arg(long, value_name = "FILE|-", default_value = "-")]
        out: PathBuf,
        /// Replace FILE when it exists (it is never written through a symbolic link).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, clap::Args)]
pub struct OperatorArgs {
    #[command(subcommand)]
    pub action: OperatorAction,
}

#[derive(Debug, Subcommand)]
pub enum OperatorAction {
    /// Add an account.
    Add {
        /// 2 to 32 lower-case Latin letters, digits, . - _
        login: String,
        /// The name shown on screen and on papers ("Серікова А.").
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(["operator", "supervisor", "admin", "trainer"]))]
        role: String,
    },
    /// List the accounts.
    List,
    /// Disable an account (never the last administrator).
    Disable { login: String },
    /// Give an account a new password (and lift its lockout).
    ResetPassword { login: String },
}

#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Check the audit log's hash chain: exit 0 when intact (printing the last row's hash, to
    /// note outside the file), 1 naming the first row that does not fit.
    Verify {
        /// A hash noted earlier (on a daily summary): it must still be in the chain.
        #[arg(long, value_name = "HASH")]
        anchor: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum DemoAction {
    /// Write a training database of fictional applicants through the real schema and store.
    Generate {
        /// How many applicants.
        #[arg(long, default_value = "1000000", value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
        applicants: u32,
        /// The new database file: it must not exist yet (or be empty).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Seed of the generator: the same seed gives the same people.
        #[arg(long, default_value = "2026")]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum PrintWhat {
    /// The "what to bring" sheet: the documents and consents a case needs, from its facts
    /// (the same JSON and exit codes as `regdesk checklist`).
    Checklist(PrintChecklistArgs),
    /// A reprint of the receipt of a submitted application, read from the database.
    Receipt(PrintReceiptArgs),
}

#[derive(Debug, clap::Args)]
pub struct PrintReceiptArgs {
    /// The application number, e.g. RD-2026-000123.
    pub number: String,
    #[arg(long, value_enum, default_value = "text")]
    pub format: PrintFormat,
    /// Where to write the paper (readable by its owner only); - for standard output.
    #[arg(long, value_name = "FILE|-")]
    pub out: PathBuf,
    /// Replace FILE when it exists (it is never written through a symbolic link).
    #[arg(long)]
    pub force: bool,
}

/// Formats of printed papers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PrintFormat {
    /// Plain text of 80 columns, for any printer (`lp`).
    Text,
    /// A4 PDF with an embedded font that has every Kazakh letter.
    Pdf,
}

#[derive(Debug, clap::Args)]
pub struct PrintChecklistArgs {
    /// Facts of the case as JSON: a file, or - for standard input.
    #[arg(long, value_name = "FILE|-")]
    pub facts: String,
    /// Date of evaluation (YYYY-MM-DD); wins over "date" in the facts; default today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = day)]
    pub date: Option<chrono::NaiveDate>,
    #[arg(long, value_enum, default_value = "text")]
    pub format: PrintFormat,
    /// Where to write the paper (readable by its owner only); - for standard output.
    #[arg(long, value_name = "FILE|-")]
    pub out: PathBuf,
    /// Replace FILE when it exists (it is never written through a symbolic link).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Validate the center profile: exit 0, or 1 with every problem as FILE:LINE:COLUMN.
    Check {
        /// Profile file. Default: REGDESK_CENTER, else center.toml in the user's config folder.
        file: Option<PathBuf>,
    },
    /// Print an example profile to start from.
    Example,
}

#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// Load and validate: exit 0, or 1 with every error as FILE:LINE:COLUMN: MESSAGE.
    Check {
        /// Rule set folder (ruleset.toml, rules/, tests/). Default: --rules, else the built-in set.
        dir: Option<PathBuf>,
    },
    /// Run the scenario tests and coverage checks: prints "N passed, M failed"; exit 1 on any failure.
    Test {
        /// Rule set folder. Default: --rules, else the built-in set.
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Text,
}

#[derive(Debug, clap::Args)]
pub struct ChecklistArgs {
    /// Facts of the case as JSON: a file, or - for standard input.
    #[arg(long, value_name = "FILE|-")]
    pub facts: String,
    /// Date of evaluation (YYYY-MM-DD); wins over "date" in the facts; default today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = day)]
    pub date: Option<chrono::NaiveDate>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    pub format: Format,
    /// Also apply adopted-but-not-in-force and draft rules, to see their effect.
    #[arg(long)]
    pub what_if: bool,
}

impl Cli {
    /// The idle time after which the desk locks.
    pub fn lock_after_duration(&self) -> Option<std::time::Duration> {
        (!self.lock_after.is_zero()).then_some(self.lock_after)
    }

    /// Language from `--lang`, else from the locale, else Russian.
    pub fn language(&self) -> Lang {
        self.lang.or_else(locale_language).unwrap_or_default()
    }
}

/// The language the system asks for, if one of ours: the Windows display language, then the
/// locale (`LC_ALL`, `LC_MESSAGES`, `LANG`).
pub fn locale_language() -> Option<Lang> {
    crate::platform::ui_language().or_else(|| {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find_map(|v| Lang::from_locale(&v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every option the desk takes works after `desk` too.
    #[test]
    fn desk_options_work_after_desk() {
        let cli = Cli::try_parse_from(["regdesk", "desk", "--lock-after", "30s", "--lang", "kk"])
            .unwrap();
        assert!(matches!(cli.command, Some(Command::Desk)));
        assert_eq!(cli.lock_after, std::time::Duration::from_secs(30));
        assert_eq!(cli.lang, Some(Lang::Kk));
    }

    #[test]
    fn days_are_four_digit_years() {
        assert_eq!(
            day("9999-12-31"),
            Ok(chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap())
        );
        for bad in [
            "+10000-01-01",
            "10000-01-01",
            "2026-1-01",
            "2026-02-30",
            "",
            "２０２６-01-01",
        ] {
            assert!(day(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        /// Any text: a day or a message, never a panic; every real day of four-digit years
        /// reads back as itself.
        #[test]
        fn any_text_is_a_day_or_refused(text in "\\PC{0,16}") {
            let _ = day(&text);
        }

        #[test]
        fn real_days_read_back(n in 0i32..3_000_000) {
            let date = chrono::NaiveDate::from_ymd_opt(1000, 1, 1).unwrap() + chrono::Days::new(n as u64);
            prop_assume!(chrono::Datelike::year(&date) <= 9999);
            prop_assert_eq!(day(&date.format("%Y-%m-%d").to_string()), Ok(date));
        }
    }
}
