//! Loading a rule set: `ruleset.toml` (header and vocabulary) plus `rules/*.toml`. Parsing is
//! pure (files come in as text); [`read_dir`] and [`embedded`] are the only places that get the
//! text. Every problem is reported with file:line:column, and all problems at once.

mod header;
mod reader;
mod rule;
mod source;

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};
use toml::de::DeTable;

pub use source::{Message, RuleError, Source, suggestion};

use super::model::{Rule, RuleSet};
use super::static_check;
use reader::{Reader, get};
use rule::ParsedRule;

/// Name of the header file inside a rule set folder.
pub const HEADER_FILE: &str = "ruleset.toml";
/// Folder of rule files inside a rule set folder.
pub const RULES_DIR: &str = "rules";
/// Folder of scenario tests inside a rule set folder.
pub const TESTS_DIR: &str = "tests";

/// One file of a rule set: its path relative to the set's folder, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFile {
    pub name: String,
    pub text: String,
}

/// A loaded set and what the static check found that is worth a look but not an error.
#[derive(Debug)]
pub struct Loaded {
    pub set: RuleSet,
    pub warnings: Vec<RuleError>,
}

/// The rule set compiled into the binary (the files under `assets/rules`).
pub fn embedded() -> Vec<RuleFile> {
    super::embedded::FILES
        .iter()
        .map(|(name, text)| RuleFile {
            name: (*name).to_owned(),
            text: (*text).to_owned(),
        })
        .collect()
}

/// The files of the rule set in `dir`, or of the built-in set when `dir` is `None`.
pub fn files(dir: Option<&Path>, with_tests: bool) -> Result<Vec<RuleFile>, Vec<RuleError>> {
    match dir {
        Some(dir) => read_dir(dir, with_tests).map_err(|e| vec![e]),
        None => Ok(embedded()),
    }
}

/// A rule file is a few kilobytes; anything far larger is not one.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Reads one file of a set: a regular file (a FIFO or device would block or never end),
/// within the size limit, as UTF-8.
fn read_rule_file(dir: &Path, name: &str) -> Result<String, RuleError> {
    let path = dir.join(name);
    let error = |message: Message| RuleError {
        file: name.to_owned(),
        line: 0,
        column: 0,
        message,
    };
    let cannot_read =
        |e: std::io::Error| error(Message::new("rules.error.cannot_read").arg("detail", e));
    let meta = std::fs::metadata(&path).map_err(cannot_read)?;
    if !meta.is_file() {
        return Err(error(Message::new("rules.error.not_a_file")));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(error(
            Message::new("rules.error.file_too_large").arg("max", MAX_FILE_BYTES / 1024),
        ));
    }
    std::fs::read_to_string(&path).map_err(cannot_read)
}

/// The one way a rule set is loaded for use: the files of `dir` (the built-in set without
/// one), parsed and checked.
pub fn load(dir: Option<&Path>) -> Result<Loaded, Vec<RuleError>> {
    files(dir, false).and_then(|files| parse(&files))
}

/// Reads `ruleset.toml`, `rules/*.toml` and (with `with_tests`) `tests/*.toml` from `dir`.
pub fn read_dir(dir: &Path, with_tests: bool) -> Result<Vec<RuleFile>, RuleError> {
    // Names stay relative to `dir` (as in every other message of the set); the caller shows
    // them joined to the folder the user gave.
    let header = read_rule_file(dir, HEADER_FILE)?;
    let mut files = vec![RuleFile {
        name: HEADER_FILE.into(),
        text: header,
    }];
    let mut folders = vec![RULES_DIR];
    if with_tests {
        folders.push(TESTS_DIR);
    }
    for folder in folders {
        let entries = std::fs::read_dir(dir.join(folder)).map_err(|e| RuleError {
            file: folder.to_owned(),
            line: 0,
            column: 0,
            message: Message::new("rules.error.cannot_read").arg("detail", e),
        })?;
        let mut names = Vec::new();
        for entry in entries.filter_map(Result::ok) {
            let os_name = entry.file_name();
            let Some(name) = os_name.to_str() else {
                // Names are shown in messages and hashed into the set's fingerprint.
                let lossy = os_name.to_string_lossy();
                if lossy.ends_with(".toml") {
                    return Err(RuleError {
                        file: format!("{folder}/{lossy}"),
                        line: 0,
                        column: 0,
                        message: Message::new("rules.error.bad_file_name")
                            .arg("name", crate::i18n::printable(&lossy)),
                    });
                }
                continue;
            };
            if name.ends_with(".toml") {
                names.push(name.to_owned());
            }
        }
        names.sort();
        for name in names {
            let relative = format!("{folder}/{name}");
            let text = read_rule_file(dir, &relative)?;
            files.push(RuleFile {
                name: relative,
                text,
            });
        }
    }
    Ok(files)
}

/// A file as a source of positions, for other readers of rule set files (scenarios).
pub(crate) fn source_for(file: &RuleFile) -> Source<'_> {
    Source::new(&file.name, &file.text)
}

/// SHA-256 over the header and rule files, in name order, each as name, NUL, text, NUL.
pub fn fingerprint(files: &[RuleFile]) -> String {
    let mut ordered: Vec<&RuleFile> = files
        .iter()
        .filter(|f| !f.name.starts_with(TESTS_DIR))
        .collect();
    ordered.sort_by(|a, b| a.name.cmp(&b.name));
    let mut hasher = Sha256::new();
    for file in ordered {
        hasher.update(file.name.as_bytes());
        hasher.update([0]);
        hasher.update(file.text.as_bytes());
        hasher.update([0]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Parses and validates a rule set from its files (scenario files, if given, are ignored here).
pub fn parse(files: &[RuleFile]) -> Result<Loaded, Vec<RuleError>> {
    let mut errors = Vec::new();
    let sources: Vec<Source> = files
        .iter()
        .map(|f| Source::new(&f.name, &f.text))
        .collect();
    let Some(header_index) = files.iter().position(|f| f.name == HEADER_FILE) else {
        return Err(vec![RuleError {
            file: HEADER_FILE.into(),
            line: 0,
            column: 0,
            message: Message::new("rules.error.header_missing"),
        }]);
    };

    // A syntax error does not stop reading: the recoverable parse keeps what it could read.
    let tables: Vec<DeTable> = sources
        .iter()
        .map(|src| {
            let (table, syntax) = DeTable::parse_recoverable(src.text);
            for e in syntax {
                let span = e.span().unwrap_or(0..0);
                errors.push(src.error(
                    span,
                    Message::new("rules.error.syntax").arg("detail", e.message().trim()),
                ));
            }
            table.into_inner()
        })
        .collect();

    let header = {
        let mut r = Reader {
            src: &sources[header_index],
            errors: &mut errors,
        };
        header::read(&mut r, &tables[header_index])
    };
    let Some(header) = header else {
        errors.sort();
        return Err(errors);
    };

    let mut parsed: Vec<ParsedRule> = Vec::new();
    // Ids of every [[rule]] written, even one with errors, so that rules naming it in
    // `overrides` are not reported too: one mistake, one message.
    let mut declared: Vec<String> = Vec::new();
    for (index, (src, table)) in sources.iter().zip(&tables).enumerate() {
        if index == header_index || !src.name.starts_with(RULES_DIR) {
            continue;
        }
        let mut r = Reader {
            src,
            errors: &mut errors,
        };
        r.check_keys(table, &["rule"], src.name);
        let Some(list) = get(table, "rule") else {
            r.errors
                .push(src.file_error(Message::new("rules.error.no_rules")));
            continue;
        };
        for node in r.array(list, "[[rule]]").unwrap_or_default() {
            if let Some(id) = node
                .get_ref()
                .as_table()
                .and_then(|t| get(t, "id"))
                .and_then(|n| n.get_ref().as_str())
            {
                declared.push(id.to_owned());
            }
            if let Some(p) = rule::read(&mut r, node, &header, index) {
                parsed.push(p);
            }
        }
    }

    check_versions(&parsed, &sources, &mut errors);
    check_overrides(&parsed, &declared, &sources, &mut errors);
    let set = RuleSet {
        id: header.id,
        version: header.version,
        title: header.title,
        sha256: fingerprint(files),
        covers_from: header.covers_from,
        laws: header.laws,
        vocabulary: header.vocabulary,
        rules: parsed.into_iter().map(|p| p.rule).collect(),
    };
    if errors.is_empty() {
        let report = static_check::check(&set);
        errors.extend(report.conflicts);
        if errors.is_empty() {
            return Ok(Loaded {
                set,
                warnings: report.warnings,
            });
        }
    }
    errors.sort();
    errors.dedup();
    Err(errors)
}

/// Rules sharing an id are versions of one rule: their periods must not overlap.
fn check_versions(parsed: &[ParsedRule], sources: &[Source], errors: &mut Vec<RuleError>) {
    for (i, a) in parsed.iter().enumerate() {
        for b in &parsed[i + 1..] {
            if a.rule.id != b.rule.id {
                continue;
            }
            if periods_overlap(&a.rule, &b.rule) {
                errors.push(
                    sources[b.file].error(
                        b.id_span.clone(),
                        Message::new("rules.error.version_overlap")
                            .arg("id", &b.rule.id)
                            .arg(
                                "other",
                                format!("{}:{}", a.rule.origin.file, a.rule.origin.line),
                            ),
                    ),
                );
            }
        }
    }
}

fn periods_overlap(a: &Rule, b: &Rule) -> bool {
    let (Some(a_from), Some(b_from)) = (a.effective_from, b.effective_from) else {
        // Undated (adopted, start unknown) versions: two of them cannot be told apart.
        return a.effective_from.is_none() && b.effective_from.is_none();
    };
    a.effective_to.is_none_or(|a_to| b_from < a_to)
        && b.effective_to.is_none_or(|b_to| a_from < b_to)
}

/// Override targets must exist, and overriding must not go round in a circle.
fn check_overrides(
    parsed: &[ParsedRule],
    declared: &[String],
    sources: &[Source],
    errors: &mut Vec<RuleError>,
) {
    let ids: Vec<&str> = declared.iter().map(String::as_str).collect();
    for p in parsed {
        for target in &p.overrides {
            if target.get_ref() == &p.rule.id {
                errors.push(
                    sources[p.file].error(target.span(), Message::new("rules.error.self_override")),
                );
            } else if !ids.contains(&target.get_ref().as_str()) {
                let message = Message::new("rules.error.unknown_rule")
                    .arg("id", target.get_ref())
                    .suggest(suggestion(target.get_ref(), ids.iter().copied()));
                errors.push(sources[p.file].error(target.span(), message));
            }
        }
    }
    let graph: BTreeMap<&str, Vec<&str>> = parsed.iter().fold(BTreeMap::new(), |mut g, p| {
        g.entry(p.rule.id.as_str())
            .or_default()
            .extend(p.rule.overrides.iter().map(String::as_str));
        g
    });
    let mut reported: Vec<Vec<&str>> = Vec::new();
    for start in graph.keys() {
        if let Some(cycle) = find_cycle(&graph, start) {
            let mut key = cycle.clone();
            key.sort();
            if reported.contains(&key) {
                continue;
            }
            reported.push(key);
            let p = parsed
                .iter()
                .find(|p| p.rule.id == *start)
                .expect("id from parsed");
            errors.push(
                sources[p.file].error(
                    p.id_span.clone(),
                    Message::new("rules.error.override_cycle")
                        .arg("cycle", format!("{} -> {start}", cycle.join(" -> "))),
                ),
            );
        }
    }
}

/// A path from `start` back to itself along overrides, if any.
fn find_cycle<'a>(graph: &BTreeMap<&'a str, Vec<&'a str>>, start: &'a str) -> Option<Vec<&'a str>> {
    fn walk<'a>(
        graph: &BTreeMap<&'a str, Vec<&'a str>>,
        node: &'a str,
        start: &'a str,
        path: &mut Vec<&'a str>,
    ) -> bool {
        if path.contains(&node) {
            return false;
        }
        path.push(node);
        for &next in graph.get(node).map(Vec::as_slice).unwrap_or_default() {
            if next == start || walk(graph, next, start, path) {
                return true;
            }
        }
        path.pop();
        false
    }
    let mut path = Vec::new();
    walk(graph, start, start, &mut path).then_some(path)
}

#[cfg(test)]
mod tests;
