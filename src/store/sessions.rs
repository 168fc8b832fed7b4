//! Desk sessions: each running desk is recorded, so a desk that did not end cleanly (a
//! power cut, a kill) is said at the next start.

#[allow(unused_imports)]
use super::*;

impl Store {
    /// Records that a desk starts (process `pid`) and returns its session id with the start
    /// times of earlier sessions that did not end cleanly: still open, their process gone
    /// (`is_running` says). Each is reported once.
    pub fn begin_session(
        &mut self,
        pid: u32,
        is_running: impl Fn(u32) -> bool,
    ) -> Result<(i64, Vec<DateTime<Utc>>), StoreError> {
        self.write(|tx| {
            let mut open = tx.prepare(
                "SELECT id, pid, started_at FROM desk_sessions
                 WHERE ended_at IS NULL AND reported = 0",
            )?;
            let rows: Vec<(i64, u32, String)> = open
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<Result<_, _>>()?;
            let mut unclean = Vec::new();
            for (id, old_pid, started) in rows {
                if old_pid == pid || !is_running(old_pid) {
                    tx.execute(
                        "UPDATE desk_sessions SET reported = 1 WHERE id = ?1",
                        params![id],
                    )?;
                    if let Ok(at) = DateTime::parse_from_rfc3339(&started) {
                        unclean.push(at.with_timezone(&Utc));
                    }
                }
            }
            tx.execute(
                "INSERT INTO desk_sessions(pid, started_at) VALUES (?1, ?2)",
                params![pid, timestamp(Utc::now())],
            )?;
            Ok((tx.last_insert_rowid(), unclean))
        })
    }

    /// Marks the session as ended cleanly.
    pub fn end_session(&mut self, id: i64) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute(
                "UPDATE desk_sessions SET ended_at = ?1 WHERE id = ?2",
                params![timestamp(Utc::now()), id],
            )?;
            Ok(())
        })
    }
}
