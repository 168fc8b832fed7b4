//! Finding applications: by IIN, by number, or by the start of a name in alphabetical order
//! (see `core::collation`), a page at a time; and reading one back whole for the record view.

use rusqlite::params;

use crate::core::LookupQuery;
use crate::core::collation::{KeyRange, spelling_ranges};

use super::{Store, StoreError};
pub use crate::records::{
    ApplicationRecord, Cursor, LookupFilter, LookupPage, LookupRow, StatusChange,
};

/// (status, reason code, note, operator's name, when) of a history row.
type HistoryRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
);

const ROW_COLUMNS: &str = "a.number, p.surname, p.given_name, p.patronymic, p.iin, a.status,
    a.created_at, p.sort_key, p.id, a.id";

/// Rows after the cursor `(?2, ?3, ?4)` in (sort key, applicant, application) order. Neither a
/// row value `(a, b, c) > (?, ?, ?)` nor a plain `p.sort_key > ?2`: SQLite would take either as
/// the index range's lower bound in place of the prefix's (?1), and on the first page (empty
/// cursor) read the index from its start up to the prefix: 40 ms instead of 0.2 ms on a
/// million names. `+p.sort_key` keeps this term out of the index range.
pub(super) const AFTER_CURSOR: &str =
    "(+p.sort_key > ?2 OR (+p.sort_key = ?2 AND (p.id > ?3 OR (p.id = ?3 AND a.id > ?4))))";

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<LookupRow> {
    Ok(LookupRow {
        number: r.get(0)?,
        surname: r.get(1)?,
        given_name: r.get(2)?,
        patronymic: r.get(3)?,
        iin: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
        status: r.get(5)?,
        created_at: r.get(6)?,
        cursor: Cursor {
            sort_key: r.get(7)?,
            applicant: r.get(8)?,
            application: r.get(9)?,
        },
    })
}

/// The filter as SQL conditions on `a`, with its parameters numbered from `first`.
fn filter_sql(filter: &LookupFilter, first: usize) -> (String, Vec<String>) {
    let mut sql = String::new();
    let mut values = Vec::new();
    for (value, condition) in [
        (&filter.status, "a.status ="),
        (&filter.from, "a.created_at >="),
        (&filter.until, "a.created_at <"),
    ] {
        if let Some(value) = value {
            values.push(value.clone());
            sql.push_str(&format!(" AND {condition} ?{}", first + values.len() - 1));
        }
    }
    (sql, values)
}

impl Store {
    /// A page of applications matching `query`, in the alphabetical order of the applicants'
    /// names (then oldest application first), starting after `after`. `limit` rows at most.
    pub fn lookup(
        &self,
        query: &LookupQuery,
        filter: &LookupFilter,
        after: Option<&Cursor>,
        limit: usize,
    ) -> Result<LookupPage, StoreError> {
        let sqlite = |e| StoreError::from_sqlite(&self.path, e);
        let want = limit + 1;
        let mut rows = Vec::new();
        match query {
            LookupQuery::Empty | LookupQuery::BadIin(_) => {}
            LookupQuery::Iin(iin) => {
                rows = self
                    .rows_where("p.iin = ?1", iin, filter, after, want)
                    .map_err(sqlite)?;
                // A family: a parent's IIN also finds the applications they made as the
                // representative (their children's), after their own.
                if rows.len() < want {
                    let more = self
                        .rows_where(
                            "a.representative_iin = ?1 AND p.iin IS NOT ?1",
                            iin,
                            filter,
                            after,
                            want - rows.len(),
                        )
                        .map_err(sqlite)?;
                    rows.extend(more);
                }
            }
            LookupQuery::Number(number) => {
                rows = self
                    .rows_where("a.number = ?1", number, filter, after, want)
                    .map_err(sqlite)?;
            }
            LookupQuery::Name(name) => {
                let ranges = self.name_ranges(name).map_err(sqlite)?;
                for range in ranges {
                    // Ranges wholly before the cursor were read on earlier pages.
                    if after.is_some_and(|c| range.end() <= c.sort_key) {
                        continue;
                    }
                    let more = self
                        .rows_in_range(&range, filter, after, want - rows.len())
                        .map_err(sqlite)?;
                    rows.extend(more);
                    if rows.len() >= want {
                        break;
                    }
                }
            }
        }
        let more = rows.len() > limit;
        rows.truncate(limit);
        Ok(LookupPage { rows, more })
    }

    /// The key ranges of the spellings of `name` that some applicant has.
    pub fn name_ranges(&self, name: &str) -> rusqlite::Result<Vec<KeyRange>> {
        let mut exists = self.conn.prepare_cached(
            "SELECT 1 FROM applicants WHERE sort_key >= ?1 AND sort_key < ?2 LIMIT 1",
        )?;
        let mut failure = None;
        let ranges = spelling_ranges(name, |prefix| {
            let range = KeyRange {
                prefix: prefix.to_owned(),
            };
            match exists.exists(params![prefix, range.end()]) {
                Ok(found) => found,
                Err(e) => {
                    failure.get_or_insert(e);
                    false
                }
            }
        });
        match failure {
            Some(e) => Err(e),
            None => Ok(ranges),
        }
    }

    fn rows_where(
        &self,
        condition: &str,
        value: &str,
        filter: &LookupFilter,
        after: Option<&Cursor>,
        limit: usize,
    ) -> rusqlite::Result<Vec<LookupRow>> {
        let (extra, values) = filter_sql(filter, 6);
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM applicants p JOIN applications a ON a.applicant_id = p.id
             WHERE {condition} AND {AFTER_CURSOR}{extra}
             ORDER BY p.sort_key, p.id, a.id LIMIT ?5"
        );
        self.query_rows(&sql, value, after, limit, &values)
    }

    fn rows_in_range(
        &self,
        range: &KeyRange,
        filter: &LookupFilter,
        after: Option<&Cursor>,
        limit: usize,
    ) -> rusqlite::Result<Vec<LookupRow>> {
        let (extra, values) = filter_sql(filter, 7);
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM applicants p JOIN applications a ON a.applicant_id = p.id
             WHERE p.sort_key >= ?1 AND p.sort_key < ?6 AND {AFTER_CURSOR}{extra}
             ORDER BY p.sort_key, p.id, a.id LIMIT ?5"
        );
        let mut all = vec![range.end()];
        all.extend(values);
        // The range starts at the cursor when the cursor is inside it: the index seek skips
        // the rows of earlier pages instead of reading through them.
        let start = match after {
            Some(c) if c.sort_key > range.prefix => &c.sort_key,
            _ => &range.prefix,
        };
        self.query_rows(&sql, start, after, limit, &all)
    }

    fn query_rows(
        &self,
        sql: &str,
        first: &str,
        after: Option<&Cursor>,
        limit: usize,
        rest: &[String],
    ) -> rusqlite::Result<Vec<LookupRow>> {
        let start = Cursor::default();
        let after = after.unwrap_or(&start);
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut values: Vec<&dyn rusqlite::ToSql> = vec![
            &first,
            &after.sort_key,
            &after.applicant,
            &after.application,
        ];
        let limit = limit as i64;
        values.push(&limit);
        for v in rest {
            values.push(v);
        }
        stmt.query_map(values.as_slice(), row)?.collect()
    }

    /// The application with this number read back whole: what was stored at submission, its
    /// decision record, the period of its registration, its timeline, and the person's other
    /// applications. `None` when there is none.
    pub fn record(&self, number: &str) -> Result<Option<ApplicationRecord>, StoreError> {
        let sqlite = |e| StoreError::from_sqlite(&self.path, e);
        let Some((id, extra, application)) = self.application_row(number)? else {
            return Ok(None);
        };
        let applicant = extra.applicant;
        let mut history = self
            .conn
            .prepare_cached(
                "SELECT h.status, h.reason_code, h.note, o.display_name, h.changed_at
                 FROM status_history h LEFT JOIN operators o ON o.id = h.changed_by
                 WHERE h.application_id = ?1 ORDER BY h.changed_at, h.id",
            )
            .map_err(sqlite)?;
        let rows: Vec<HistoryRow> = history
            .query_map(params![id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .and_then(|rows| rows.collect())
            .map_err(sqlite)?;
        let mut timeline = Vec::new();
        let mut before: Option<String> = None;
        for (to, reason_code, note, by, at) in rows {
            timeline.push(StatusChange {
                from: before.replace(to.clone()),
                to,
                reason_code,
                note,
                by,
                at,
            });
        }
        let mut others = self
            .conn
            .prepare_cached(
                "SELECT number, status FROM applications WHERE applicant_id = ?1
                 ORDER BY created_at DESC, id DESC",
            )
            .map_err(sqlite)?;
        let person_applications = others
            .query_map(params![applicant], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(sqlite)?;
        Ok(Some(ApplicationRecord {
            application,
            id,
            decision_record: extra.decision_record,
            registered_from: extra.registered_from,
            registered_until: extra.registered_until,
            follow_up: extra.follow_up,
            timeline,
            person_applications,
        }))
    }
}
