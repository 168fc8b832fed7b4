//! Drafts: an unfinished case saved as its operator types (a second after the last key),
//! listed at sign-in, resumed, discarded. Each save is one transaction.

#[allow(unused_imports)]
use super::*;

impl Store {
    /// Saves a draft of `form` (JSON `data`) for `operator` (none until sign-in exists): a new
    /// one when `id` is `None` (its id is returned), else the one with that id. One transaction.
    pub fn save_draft(
        &mut self,
        id: Option<i64>,
        form: &str,
        data: &str,
        operator: Option<i64>,
    ) -> Result<i64, StoreError> {
        let now = timestamp(Utc::now());
        self.write(|tx| match id {
            Some(id) => {
                let changed = tx.execute(
                    "UPDATE drafts SET data = ?1, updated_at = ?2 WHERE id = ?3",
                    params![data, now, id],
                )?;
                if changed == 1 {
                    return Ok(id);
                }
                // Discarded meanwhile (another desk): keep the work as a new draft.
                tx.execute(
                    "INSERT INTO drafts(form, data, updated_at, operator_id) VALUES (?1, ?2, ?3, ?4)",
                    params![form, data, now, operator],
                )?;
                Ok(tx.last_insert_rowid())
            }
            None => {
                tx.execute(
                    "INSERT INTO drafts(form, data, updated_at, operator_id) VALUES (?1, ?2, ?3, ?4)",
                    params![form, data, now, operator],
                )?;
                Ok(tx.last_insert_rowid())
            }
        })
    }

    /// The drafts of `form` that belong to `operator`, newest first: (id, updated at, data).
    pub fn drafts(
        &self,
        form: &str,
        operator: Option<i64>,
    ) -> Result<Vec<(i64, DateTime<Utc>, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, updated_at, data FROM drafts WHERE form = ?1 AND operator_id IS ?2
                 ORDER BY updated_at DESC, id DESC LIMIT 50",
            )
            .map_err(|e| self.sqlite(e))?;
        let rows = stmt
            .query_map(params![form, operator], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.sqlite(e))?;
        Ok(rows
            .into_iter()
            .map(|(id, at, data)| {
                let at = DateTime::parse_from_rfc3339(&at)
                    .map(|t| t.with_timezone(&Utc))
                    .unwrap_or_default();
                (id, at, data)
            })
            .collect())
    }

    /// The data of one draft, if it still exists.
    pub fn draft(&self, id: i64) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT data FROM drafts WHERE id = ?1", params![id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sqlite(e))
    }

    pub fn delete_draft(&mut self, id: i64) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute("DELETE FROM drafts WHERE id = ?1", params![id])?;
            Ok(())
        })
    }
}
