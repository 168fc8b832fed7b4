//! Anchors of the audit chain outside the database: an append-only text file to which the
//! chain's end (its last row and hash) is added at every backup, every restore, and at least
//! daily. The chain alone cannot see rows cut off its end, nor a copy of an older file put in
//! place of the live one; checked against every anchor, both are caught, without anyone noting
//! a hash by hand.
//!
//! One line an anchor, tab-separated: `1 TIME CHAIN EVENT ID HASH [REPLACED]`, where CHAIN is
//! the hash of the chain's first row (so one file can serve several databases, and a
//! database's backups share its chain), EVENT is `backup`, `restore` or `daily`, and a restore
//! adds the replaced chain's end as `ID:HASH`. A restore line's own row is the restore's audit
//! row: anchors written before it from that row on belong to the database it replaced (kept
//! aside), and are reported as such, not as a break.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::OptionalExtension;

use super::{Store, StoreError, keyring::side};

/// The anchor file of `database` when the center profile names none: beside it. A center
/// that can should name one on another disk or share (`[audit] anchors` in the profile).
pub fn default_anchor_path(database: &Path) -> PathBuf {
    side(database, ".anchors")
}

/// One line of the anchor file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub at: String,
    pub chain: String,
    pub event: String,
    pub id: i64,
    pub hash: String,
    /// A restore's replaced chain end.
    pub replaced: Option<(i64, String)>,
}

impl Anchor {
    fn line(&self) -> String {
        let mut line = format!(
            "1\t{}\t{}\t{}\t{}\t{}",
            self.at, self.chain, self.event, self.id, self.hash
        );
        if let Some((id, hash)) = &self.replaced {
            line.push_str(&format!("\t{id}:{hash}"));
        }
        line
    }

    fn parse(line: &str) -> Option<Anchor> {
        let fields: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
        if fields.len() < 6 || fields[0] != "1" {
            return None;
        }
        let hex = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
        if !hex(fields[2]) || !hex(fields[5]) {
            return None;
        }
        let replaced = match fields.get(6) {
            Some(end) => {
                let (id, hash) = end.split_once(':')?;
                Some((id.parse().ok()?, hash.to_owned()))
            }
            None => None,
        };
        Some(Anchor {
            at: fields[1].to_owned(),
            chain: fields[2].to_owned(),
            event: fields[3].to_owned(),
            id: fields[4].parse().ok()?,
            hash: fields[5].to_owned(),
            replaced,
        })
    }
}

/// What the anchors say of a chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorCheck {
    /// No anchor file yet.
    NoFile,
    /// Every anchor of this chain is in it; `replaced` anchors belong to databases a restore
    /// replaced (from row `from_id` on, restored at `at`).
    Fits {
        checked: usize,
        replaced: usize,
        restores: Vec<(String, i64)>,
    },
    /// An anchor that is not in the chain: its rows were cut off, rewritten, or an older copy
    /// of the file was put in place of this one.
    Missing { anchor: Anchor, last_id: i64 },
    /// A line of the file is not an anchor: the file was edited.
    Damaged { line: usize },
}

/// Appends `anchor` to the file at `path` (created readable by its owner only), synced.
fn append(path: &Path, anchor: &Anchor) -> std::io::Result<()> {
    let new = !path.exists();
    let mut options = std::fs::OpenOptions::new();
    options.append(true).create(true);
    let mut file = crate::platform::owner_only_options(&mut options).open(path)?;
    if new {
        crate::platform::created_for_owner(path);
    }
    writeln!(file, "{}", anchor.line())?;
    file.sync_all()
}

/// The anchors in the file at `path`, or the number of the first line that is not one.
fn read(path: &Path) -> std::io::Result<Result<Vec<Anchor>, usize>> {
    let text = std::fs::read_to_string(path)?;
    let mut anchors = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match Anchor::parse(line) {
            Some(anchor) => anchors.push(anchor),
            None => return Ok(Err(n + 1)),
        }
    }
    Ok(Ok(anchors))
}

impl Store {
    /// The chain's name in the anchor file: the hash of its first row.
    fn chain_id(&self) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT hash FROM audit_log ORDER BY id LIMIT 1", [], |r| {
                r.get::<_, Option<String>>(0)
            })
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.sqlite(e))
    }

    /// Appends the chain's end to the anchor file at `path` as `event` (with a restore's
    /// replaced chain end). Nothing to anchor in an empty chain.
    pub fn append_anchor(
        &self,
        path: &Path,
        event: &str,
        replaced: Option<(i64, String)>,
    ) -> Result<(), StoreError> {
        let (Some(chain), Some((id, hash))) = (self.chain_id()?, self.audit_anchor()?) else {
            return Ok(());
        };
        let anchor = Anchor {
            at: super::timestamp(chrono::Utc::now()),
            chain,
            event: event.to_owned(),
            id,
            hash,
            replaced,
        };
        append(path, &anchor).map_err(|e| StoreError::DirectoryNotWritable {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })
    }

    /// Appends a `daily` anchor unless this chain has one from today (UTC) already.
    pub fn anchor_daily(&self, path: &Path) -> Result<(), StoreError> {
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        let chain = self.chain_id()?;
        if let Ok(Ok(anchors)) = read(path)
            && anchors
                .iter()
                .any(|a| Some(&a.chain) == chain.as_ref() && a.at.starts_with(&today))
        {
            return Ok(());
        }
        self.append_anchor(path, "daily", None)
    }

    /// Checks the chain against every anchor of it in the file at `path`.
    pub fn check_anchors(&self, path: &Path) -> Result<AnchorCheck, StoreError> {
        let anchors = match read(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(AnchorCheck::NoFile),
            Err(e) => {
                return Err(StoreError::DirectoryNotWritable {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                });
            }
            Ok(Err(line)) => return Ok(AnchorCheck::Damaged { line }),
            Ok(Ok(anchors)) => anchors,
        };
        let Some(chain) = self.chain_id()? else {
            return Ok(AnchorCheck::NoFile);
        };
        let rows: HashMap<i64, String> = self
            .conn
            .prepare("SELECT id, hash FROM audit_log")
            .and_then(|mut s| {
                s.query_map([], |r| {
                    Ok((
                        r.get(0)?,
                        r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    ))
                })?
                .collect()
            })
            .map_err(|e| self.sqlite(e))?;
        let last_id = rows.keys().copied().max().unwrap_or(0);
        let ours: Vec<&Anchor> = anchors.iter().filter(|a| a.chain == chain).collect();
        let in_chain = |a: &Anchor| {
            rows.get(&a.id)
                .is_some_and(|h| h.eq_ignore_ascii_case(&a.hash))
        };
        // A restore whose own row is in this chain replaced the rows from that row on:
        // the anchors written before it from there on are the replaced database's.
        let mut replaced = vec![false; ours.len()];
        let mut restores = Vec::new();
        for (i, anchor) in ours.iter().enumerate() {
            if anchor.event == "restore" && in_chain(anchor) {
                restores.push((anchor.at.clone(), anchor.id));
                for (j, earlier) in ours[..i].iter().enumerate() {
                    if earlier.id >= anchor.id {
                        replaced[j] = true;
                    }
                }
            }
        }
        for (i, anchor) in ours.iter().enumerate() {
            if !replaced[i] && !in_chain(anchor) {
                return Ok(AnchorCheck::Missing {
                    anchor: (*anchor).clone(),
                    last_id,
                });
            }
        }
        let replaced_count = replaced.iter().filter(|r| **r).count();
        Ok(AnchorCheck::Fits {
            checked: ours.len() - replaced_count,
            replaced: replaced_count,
            restores,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lines_read_back() {
        let anchor = Anchor {
            at: "2026-12-02T10:00:00Z".into(),
            chain: "a".repeat(64),
            event: "restore".into(),
            id: 42,
            hash: "b".repeat(64),
            replaced: Some((57, "c".repeat(64))),
        };
        assert_eq!(Anchor::parse(&anchor.line()), Some(anchor));
        assert_eq!(Anchor::parse("1\tnot\tan\tanchor"), None);
    }

    /// Rows cut off the chain's end leave the chain itself intact; the anchors see it.
    #[test]
    fn a_cut_tail_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("desk.sqlite");
        let anchors = dir.path().join("anchors");
        let (mut store, _) = Store::open(&path).unwrap();
        assert_eq!(store.check_anchors(&anchors).unwrap(), AnchorCheck::NoFile);
        for n in 0..5 {
            store
                .append_audit(None, "test.row", None, &format!("{{\"n\":{n}}}"))
                .unwrap();
        }
        store.append_anchor(&anchors, "backup", None).unwrap();
        assert!(matches!(
            store.check_anchors(&anchors).unwrap(),
            AnchorCheck::Fits {
                checked: 1,
                replaced: 0,
                ..
            }
        ));
        // A tool other than regdesk drops the trigger and cuts the last two rows.
        store
            .conn
            .execute_batch(
                "DROP TRIGGER audit_log_no_delete;
                 DELETE FROM audit_log WHERE id > (SELECT max(id) - 2 FROM audit_log);",
            )
            .unwrap();
        assert!(matches!(
            store.verify_audit(None).unwrap(),
            super::super::AuditVerdict::Intact { .. }
        ));
        let AnchorCheck::Missing { anchor, last_id } = store.check_anchors(&anchors).unwrap()
        else {
            panic!("the cut tail was not seen");
        };
        assert!(anchor.id > last_id);
    }

    proptest! {
        /// Any line: an anchor or nothing, never a panic.
        #[test]
        fn any_line_is_an_anchor_or_not(line in "\\PC{0,200}") {
            let _ = Anchor::parse(&line);
        }
    }
}
