//! The lookup worker: a thread with its own read-only connection that runs the lookup
//! screen's queries, so typing never waits for the database. Only the newest query waiting is
//! run (an older one's answer would be dropped by the screen anyway).

use std::sync::mpsc::{Receiver, Sender};

use crate::core::{LookupQuery, collation::normalise_query, search_key};
use crate::store::Store;
use crate::ui::drafts::DraftSummary;
use crate::ui::lookup::{Found, LookupJob};

/// A stored draft as a list row, with its IIN and full name to match against.
pub type DraftRows =
    fn(&[(i64, chrono::DateTime<chrono::Utc>, String)]) -> Vec<(DraftSummary, String, String)>;

/// Starts the worker on `store`'s file; answers go to `answer`. The drafts of the desk's
/// operator that match a query come first in its answer (`draft_rows` turns stored drafts
/// into list rows).
pub fn spawn<W: Send + 'static>(
    reader: Store,
    operator: Option<i64>,
    answer: Sender<W>,
    wrap: fn(Box<Found>) -> W,
    draft_rows: DraftRows,
) -> (Sender<LookupJob>, Option<std::thread::JoinHandle<()>>) {
    let (jobs, inbox) = std::sync::mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("lookup".into())
        .spawn(move || run(reader, operator, inbox, answer, wrap, draft_rows))
        .ok();
    (jobs, thread)
}

fn run<W>(
    reader: Store,
    operator: Option<i64>,
    inbox: Receiver<LookupJob>,
    answer: Sender<W>,
    wrap: fn(Box<Found>) -> W,
    draft_rows: DraftRows,
) {
    while let Ok(mut job) = inbox.recv() {
        // Skip to the newest first page waiting; a next page of the same query is kept.
        while let Ok(newer) = inbox.try_recv() {
            job = newer;
        }
        let page = reader.lookup(&job.query, &job.filter, job.after.as_ref(), job.limit);
        let found = match page {
            Ok(page) => Found {
                generation: job.generation,
                appended: job.after.is_some(),
                drafts: if job.after.is_none() {
                    matching_drafts(&reader, operator, &job.query, draft_rows)
                } else {
                    Vec::new()
                },
                rows: page.rows,
                more: page.more,
                failed: false,
            },
            Err(error) => {
                tracing::error!(kind = error.message_key(), "lookup failed");
                Found {
                    generation: job.generation,
                    appended: job.after.is_some(),
                    failed: true,
                    ..Found::default()
                }
            }
        };
        if answer.send(wrap(Box::new(found))).is_err() {
            return;
        }
    }
}

/// The operator's drafts whose IIN is the one searched, or whose name starts as typed.
fn matching_drafts(
    reader: &Store,
    operator: Option<i64>,
    query: &LookupQuery,
    draft_rows: DraftRows,
) -> Vec<DraftSummary> {
    // (the draft's IIN, its full name) -> whether it matches
    type Matcher = Box<dyn Fn(&str, &str) -> bool>;
    let wanted: Matcher = match query {
        LookupQuery::Iin(iin) => {
            let iin = iin.clone();
            Box::new(move |draft_iin: &str, _: &str| draft_iin == iin)
        }
        LookupQuery::Name(name) => {
            let name = normalise_query(name);
            Box::new(move |_: &str, full: &str| {
                normalise_query(&search_key(full)).starts_with(&name)
            })
        }
        _ => return Vec::new(),
    };
    let Ok(drafts) = reader.drafts(crate::store::DRAFT_FORM, operator) else {
        return Vec::new();
    };
    draft_rows(&drafts)
        .into_iter()
        .filter(|(_, iin, name)| wanted(iin, name))
        .map(|(summary, _, _)| summary)
        .collect()
}
