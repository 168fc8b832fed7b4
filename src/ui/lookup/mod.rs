//! The lookup screen (F5): one search box with results as the operator types (an IIN, an
//! application number, or the start of a name, in Kazakh alphabetical order), filters by
//! status and period, the lists of registrations ending soon and of follow-ups, the day's
//! summary, and the record view of one application with its keys.
//!
//! Queries run on a worker (see `app`): each keystroke sends a new query with a new
//! generation number; a result of an older generation is dropped, so the screen always shows
//! what the box says, and says "searching" while it waits.

mod actions;
pub mod editor;
pub mod record;
pub mod view;

use chrono::{Datelike, FixedOffset, NaiveDate, TimeZone};

use crate::core::{ApplicationStatus, LookupQuery};
use crate::i18n::Message;
use crate::records::{
    ApplicationRecord, Cursor, DailyReport, DueRegistration, LookupFilter, LookupRow,
};
use crate::ui::drafts::DraftSummary;
use crate::ui::text_input::TextInput;
use editor::RecordEditor;

/// Rows asked for at once: more than any screen shows, so the first screenful comes in one go.
pub const PAGE: usize = 60;
/// The longest query kept (a paste of a page of text is cut).
const MAX_QUERY: usize = 100;

/// When a day starts in the desk's time zone, as a stored UTC timestamp.
pub fn day_start_utc(day: NaiveDate, offset: FixedOffset) -> String {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    let start = offset
        .from_local_datetime(&midnight)
        .single()
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&chrono::Utc));
    crate::clock::timestamp(start)
}

/// The period filter, cycled with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    #[default]
    All,
    Today,
    Week,
    Month,
    Year,
}

impl Period {
    const ALL: [Period; 5] = [
        Period::All,
        Period::Today,
        Period::Week,
        Period::Month,
        Period::Year,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Period::All => "lookup.period.all",
            Period::Today => "lookup.period.today",
            Period::Week => "lookup.period.week",
            Period::Month => "lookup.period.month",
            Period::Year => "lookup.period.year",
        }
    }

    /// The first day the period takes in, `None` for all.
    pub fn first_day(self, today: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::All => None,
            Period::Today => Some(today),
            Period::Week => today.checked_sub_days(chrono::Days::new(6)),
            Period::Month => today.checked_sub_days(chrono::Days::new(29)),
            Period::Year => NaiveDate::from_ymd_opt(today.year(), 1, 1),
        }
    }

    fn next(self) -> Period {
        let i = Self::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
}

/// What the screen lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Listing {
    #[default]
    Search,
    /// Temporary registrations that end within [`DUE_DAYS`].
    EndingSoon,
    /// Temporary registrations still waiting for a document.
    FollowUps,
    /// The day's summary.
    Summary,
    /// The audit trail, filtered by what the box says (supervisors).
    Audit,
    /// The accounts of this database (administrators): Enter on one gives it a new password
    /// or disables it, Insert adds one.
    Accounts,
    /// The center profile the papers name (administrators): Enter edits it.
    Center,
}

/// The first words of actions, which the audit viewer takes as an action without a dot.
pub const AUDIT_ACTIONS: [&str; 9] = [
    "application",
    "audit",
    "consent",
    "database",
    "login",
    "logout",
    "operator",
    "permission",
    "print",
];

/// How far ahead "ending soon" looks.
pub const DUE_DAYS: u32 = 30;

impl Listing {
    const ALL: [Listing; 7] = [
        Listing::Search,
        Listing::EndingSoon,
        Listing::FollowUps,
        Listing::Summary,
        Listing::Audit,
        Listing::Accounts,
        Listing::Center,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Listing::Search => "lookup.listing.search",
            Listing::EndingSoon => "lookup.listing.ending",
            Listing::FollowUps => "lookup.listing.follow_ups",
            Listing::Summary => "lookup.listing.summary",
            Listing::Audit => "lookup.listing.audit",
            Listing::Accounts => "lookup.listing.accounts",
            Listing::Center => "lookup.listing.center",
        }
    }

    fn next(self) -> Listing {
        let i = Self::ALL.iter().position(|l| *l == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }
}

/// The audit viewer's filter as typed: each word an operator's login, the start of an action
/// (it has a dot, or is a known word such as `login`), an IIN or an application number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery {
    pub words: Vec<String>,
    pub from: Option<String>,
    /// The viewer was just opened (audited once, not at every word typed).
    pub opened: bool,
}

/// A query for the worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LookupJob {
    pub generation: u64,
    pub query: LookupQuery,
    pub filter: LookupFilter,
    /// A next page: the rows after this one.
    pub after: Option<Cursor>,
    pub limit: usize,
}

/// The worker's answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Found {
    pub generation: u64,
    pub rows: Vec<LookupRow>,
    pub more: bool,
    /// A next page (appended), not a first one.
    pub appended: bool,
    /// The operator's drafts that match (first page only).
    pub drafts: Vec<DraftSummary>,
    /// The query could not run (a damaged file ...): said on the screen.
    pub failed: bool,
}

/// A row of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row<'a> {
    Draft(&'a DraftSummary),
    Application(&'a LookupRow),
    Due(&'a DueRegistration),
    Account(&'a crate::records::Operator),
}

/// An open record and its form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordState {
    pub record: Box<ApplicationRecord>,
    pub scroll: u16,
    pub editor: Option<RecordEditor>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LookupState {
    pub query: TextInput,
    pub status: Option<ApplicationStatus>,
    pub period: Period,
    pub listing: Listing,
    /// The generation of the last query sent, and of the rows shown.
    pub generation: u64,
    pub shown: u64,
    /// A next page was asked for and has not come yet.
    pub paging: bool,
    pub rows: Vec<LookupRow>,
    pub more: bool,
    pub drafts: Vec<DraftSummary>,
    pub due: Vec<DueRegistration>,
    pub summary: Option<DailyReport>,
    pub audit: Vec<crate::records::AuditRow>,
    pub selected: usize,
    /// The first row shown (the view keeps the selection in sight).
    pub offset: usize,
    pub failed: bool,
    pub record: Option<RecordState>,
    /// The accounts listed (administrators).
    pub accounts: Vec<crate::records::Operator>,
    /// An administrator's form open over the accounts or the center profile: a new account,
    /// an account's new password or disabling, the center profile's values.
    pub admin_form: Option<RecordEditor>,
    /// The center profile as the file has it (administrators).
    pub center: Option<CenterInfo>,
}

/// The center profile's file: where it is, its values when they load, what is wrong.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CenterInfo {
    pub path: String,
    pub fields: Option<crate::center::CenterFields>,
    pub problems: Vec<crate::rules::RuleError>,
}

impl Eq for CenterInfo {}

impl LookupState {
    /// The rows of the current listing, in order.
    pub fn list(&self) -> Vec<Row<'_>> {
        match self.listing {
            Listing::Search => self
                .drafts
                .iter()
                .map(Row::Draft)
                .chain(self.rows.iter().map(Row::Application))
                .collect(),
            Listing::EndingSoon | Listing::FollowUps => self.due.iter().map(Row::Due).collect(),
            Listing::Accounts => self.accounts.iter().map(Row::Account).collect(),
            Listing::Summary | Listing::Audit | Listing::Center => Vec::new(),
        }
    }

    /// The results shown are not those of the box yet.
    pub fn fetching(&self) -> bool {
        self.listing == Listing::Search && self.shown != self.generation
    }

    /// What the box holds, as a query; with the hint to show when it cannot be searched.
    pub fn parsed(&self) -> LookupQuery {
        LookupQuery::parse(self.query.value())
    }

    pub fn hint(&self) -> Option<Message> {
        match self.parsed() {
            LookupQuery::Empty => Some(Message::new("lookup.hint")),
            LookupQuery::BadIin(d) if d.len() < 12 => Some(Message::new("lookup.iin_partial")),
            LookupQuery::BadIin(_) => Some(Message::new("lookup.bad_iin")),
            _ => None,
        }
    }

    /// What the audit viewer asks for: the words of the box, from the period's first day.
    pub fn audit_query(&self, today: NaiveDate, offset: FixedOffset) -> AuditQuery {
        AuditQuery {
            words: self
                .query
                .value()
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            from: self
                .period
                .first_day(today)
                .map(|d| day_start_utc(d, offset)),
            opened: false,
        }
    }

    fn filter(&self, today: NaiveDate, offset: FixedOffset) -> LookupFilter {
        LookupFilter {
            status: self.status.map(|s| s.code().to_owned()),
            from: self
                .period
                .first_day(today)
                .map(|d| day_start_utc(d, offset)),
            until: None,
        }
    }

    /// A new first page for what the box and the filters say now.
    pub fn new_query(&mut self, today: NaiveDate, offset: FixedOffset) -> Option<LookupJob> {
        self.generation += 1;
        self.paging = false;
        let query = self.parsed();
        if matches!(query, LookupQuery::Empty | LookupQuery::BadIin(_)) {
            // Nothing to ask: the list empties at once.
            self.shown = self.generation;
            self.rows.clear();
            self.drafts.clear();
            self.more = false;
            self.selected = 0;
            self.offset = 0;
            self.failed = false;
            return None;
        }
        Some(LookupJob {
            generation: self.generation,
            query,
            filter: self.filter(today, offset),
            after: None,
            limit: PAGE,
        })
    }

    /// The next page, when the selection nears the end of what is loaded.
    pub fn next_page(&mut self, today: NaiveDate, offset: FixedOffset) -> Option<LookupJob> {
        if self.listing != Listing::Search || !self.more || self.paging || self.fetching() {
            return None;
        }
        if self.selected + PAGE / 3 < self.list().len() {
            return None;
        }
        self.paging = true;
        Some(LookupJob {
            generation: self.generation,
            query: self.parsed(),
            filter: self.filter(today, offset),
            after: self.rows.last().map(|r| r.cursor.clone()),
            limit: PAGE,
        })
    }

    /// Takes the worker's answer; an older generation's is dropped. Whether it was taken.
    pub fn found(&mut self, found: Found) -> bool {
        if found.generation != self.generation {
            return false;
        }
        self.failed = found.failed;
        if found.appended {
            if !self.paging {
                return false;
            }
            self.paging = false;
            self.rows.extend(found.rows);
        } else {
            self.rows = found.rows;
            self.drafts = found.drafts;
            self.selected = 0;
            self.offset = 0;
        }
        self.more = found.more;
        self.shown = found.generation;
        true
    }

    pub fn cycle_status(&mut self) {
        let all = ApplicationStatus::ALL;
        self.status = match self.status {
            None => Some(all[0]),
            Some(s) => all
                .iter()
                .position(|x| *x == s)
                .and_then(|i| all.get(i + 1))
                .copied(),
        };
    }

    pub fn cycle_period(&mut self) {
        self.period = self.period.next();
    }

    pub fn cycle_listing(&mut self) {
        self.listing = self.listing.next();
        self.selected = 0;
        self.offset = 0;
    }

    pub fn up(&mut self) -> bool {
        let before = self.selected;
        self.selected = self.selected.saturating_sub(1);
        before != self.selected
    }

    pub fn down(&mut self, by: usize) -> bool {
        let before = self.selected;
        let last = self.list().len().saturating_sub(1);
        self.selected = (self.selected + by).min(last);
        before != self.selected
    }

    /// Keeps the selection among the `rows` lines shown.
    pub fn keep_in_sight(&mut self, rows: usize) {
        let rows = rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
    }

    /// Text typed into the box (control characters dropped, the length capped).
    pub fn type_text(&mut self, text: &str) -> bool {
        let room = MAX_QUERY.saturating_sub(self.query.len());
        let text: String = text
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .filter(|c| !c.is_control())
            .take(room)
            .collect();
        if text.is_empty() {
            return false;
        }
        self.query.insert(&text);
        // The audit viewer filters by the box; any other list gives way to the search.
        if self.listing != Listing::Audit {
            self.listing = Listing::Search;
        }
        true
    }

    /// The application number of the selected row, for opening it.
    pub fn selected_number(&self) -> Option<String> {
        match self.list().get(self.selected)? {
            Row::Application(r) => Some(r.number.clone()),
            Row::Due(d) => Some(d.number.clone()),
            Row::Draft(_) | Row::Account(_) => None,
        }
    }

    /// The login of the selected account (the accounts listing).
    pub fn selected_account(&self) -> Option<String> {
        match self.list().get(self.selected)? {
            Row::Account(a) => Some(a.login.clone()),
            _ => None,
        }
    }

    pub fn selected_draft(&self) -> Option<i64> {
        match self.list().get(self.selected)? {
            Row::Draft(d) => Some(d.id),
            _ => None,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
