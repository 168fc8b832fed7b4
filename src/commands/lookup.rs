//! `regdesk lookup QUERY`, `regdesk expire` and `regdesk report daily`: the lookup and the
//! life cycle for scripts and other desks.

use std::process::ExitCode;

use super::access::open_for;
use super::local_day_bounds;
use crate::cli::{Cli, Format, LookupArgs, ReportWhat};
use crate::core::Permission;
use crate::core::{ApplicationStatus, LookupQuery, masked_iin};
use crate::i18n::{Tr, printable};
use crate::output::{Output, error_line};
use crate::store::{AuditVerdict, DailyReport, LookupFilter, LookupRow};

pub fn lookup(cli: &Cli, args: &LookupArgs) -> ExitCode {
    let tr = Tr::new(cli.language());
    let query = LookupQuery::parse(&args.query);
    match &query {
        LookupQuery::Empty => {
            error_line(&tr.t("lookup.cli.empty"));
            return ExitCode::from(super::EXIT_BAD_INPUT);
        }
        LookupQuery::BadIin(_) => {
            error_line(&tr.t("lookup.bad_iin"));
            return ExitCode::from(super::EXIT_BAD_INPUT);
        }
        _ => {}
    }
    let mut store = match open_for(cli, &tr, Permission::Lookup, "db.none") {
        Ok(store) => store,
        Err(code) => return code,
    };
    // A lookup from a script is on the record too: what it looked by, never a name typed.
    let details = query
        .audit_details()
        .unwrap_or_else(|| r#"{"by":"name"}"#.to_owned());
    if let Err(error) = store.append_audit(None, "lookup.cli", None, &details) {
        error_line(&error.translated(&tr));
        return ExitCode::from(1);
    }
    let filter = LookupFilter {
        status: args.status.clone(),
        from: args.from.map(|d| local_day_bounds(d).0),
        until: args.to.map(|d| local_day_bounds(d).1),
    };
    let page = match store.lookup(&query, &filter, None, args.limit as usize) {
        Ok(page) => page,
        Err(error) => {
            error_line(&error.translated(&tr));
            return ExitCode::from(1);
        }
    };
    let code = if page.rows.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    let mut out = Output::new();
    match args.format {
        Format::Json => {
            let results: Vec<serde_json::Value> = page.rows.iter().map(row_json).collect();
            let json = serde_json::json!({ "results": results, "more": page.more });
            out.line(&serde_json::to_string_pretty(&json).unwrap_or_default());
        }
        Format::Text => {
            for row in &page.rows {
                out.line(&row_text(row, &tr));
            }
            if page.rows.is_empty() {
                error_line(&tr.t("lookup.none"));
            } else if page.more {
                error_line(&tr.f("lookup.cli.more", &[("limit", &args.limit.to_string())]));
            }
        }
    }
    out.finish(&tr, code)
}

/// A result for scripts: the IIN masked as on the screen (the query already named the person).
fn row_json(row: &LookupRow) -> serde_json::Value {
    serde_json::json!({
        "number": row.number,
        "name": row.full_name(),
        "iin": masked_iin(&row.iin),
        "status": row.status,
        "created_at": row.created_at,
    })
}

fn row_text(row: &LookupRow, tr: &Tr) -> String {
    let status = ApplicationStatus::from_code(&row.status)
        .map_or_else(|| row.status.clone(), |s| tr.t(s.message_key()));
    format!(
        "{}  {}  {}  {}  {}",
        row.number,
        printable(&row.full_name()),
        masked_iin(&row.iin),
        status,
        local_date(&row.created_at)
    )
}

/// A stored UTC timestamp as local time, DD.MM.YYYY HH:MM.
fn local_time(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%d.%m.%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| printable(at))
}

/// A stored UTC timestamp as the local day, DD.MM.YYYY.
pub fn local_date(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%d.%m.%Y")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_owned())
}

/// `regdesk due [--within DAYS] [--follow-ups] [--format json|text]`.
pub fn due(cli: &Cli, within: u32, follow_ups: bool, format: Format) -> ExitCode {
    let tr = Tr::new(cli.language());
    let mut store = match open_for(cli, &tr, Permission::Lookup, "db.none") {
        Ok(store) => store,
        Err(code) => return code,
    };
    let today = chrono::Local::now().date_naive();
    let rows = match store.due_registrations(today, within, follow_ups) {
        Ok(rows) => rows,
        Err(error) => {
            error_line(&error.translated(&tr));
            return ExitCode::from(1);
        }
    };
    // What was listed is on the record (the numbers, never the names or IINs).
    let numbers: Vec<&str> = rows.iter().map(|r| r.number.as_str()).collect();
    let details = serde_json::json!({
        "within": within, "follow_ups": follow_ups, "count": rows.len(), "numbers": numbers,
    })
    .to_string();
    if let Err(error) = store.append_audit(None, "due.list", None, &details) {
        error_line(&error.translated(&tr));
        return ExitCode::from(1);
    }
    let mut out = Output::new();
    match format {
        Format::Json => {
            let items: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "number": r.number,
                        "name": format!("{} {}", r.surname, r.given_name),
                        "iin": masked_iin(&r.iin),
                        "until": r.until,
                        "follow_up": r.follow_up,
                    })
                })
                .collect();
            out.line(&serde_json::to_string_pretty(&items).unwrap_or_default());
        }
        Format::Text => {
            for r in &rows {
                let doc = r.follow_up.as_deref().unwrap_or("");
                out.line(&format!(
                    "{}  {} {}  {}  {}  {doc}",
                    r.number,
                    printable(&r.surname),
                    printable(&r.given_name),
                    masked_iin(&r.iin),
                    crate::ui::lookup::record::day(&r.until)
                ));
            }
            if rows.is_empty() {
                error_line(&tr.t("lookup.none"));
            }
        }
    }
    let code = if rows.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    out.finish(&tr, code)
}

pub fn expire(cli: &Cli) -> ExitCode {
    let tr = Tr::new(cli.language());
    let mut store = match open_for(cli, &tr, Permission::Expire, "db.none") {
        Ok(store) => store,
        Err(code) => return code,
    };
    let today = chrono::Local::now().date_naive();
    match store.expire(today) {
        Ok(numbers) => {
            let mut out = Output::new();
            for number in &numbers {
                out.line(number);
            }
            error_line(&tr.n("lifecycle.expired", numbers.len() as u64, &[]));
            out.finish(&tr, ExitCode::SUCCESS)
        }
        Err(error) => {
            error_line(&error.translated(&tr));
            ExitCode::from(1)
        }
    }
}

/// `regdesk audit verify [--anchor HASH]`.
pub fn audit(cli: &Cli, action: &crate::cli::AuditAction) -> ExitCode {
    let crate::cli::AuditAction::Verify { anchor } = action;
    let tr = Tr::new(cli.language());
    let store = match open_for(cli, &tr, Permission::ViewAudit, "db.none") {
        Ok(store) => store,
        Err(code) => return code,
    };
    match store.verify_audit(anchor.as_deref()) {
        Ok(AuditVerdict::Intact { rows, last }) => {
            let mut out = Output::new();
            let (id, hash) = last.unwrap_or((0, crate::store::AUDIT_GENESIS.to_owned()));
            out.line(&tr.f(
                "audit.intact",
                &[
                    ("rows", &rows.to_string()),
                    ("id", &id.to_string()),
                    ("hash", &hash),
                ],
            ));
            let code = anchors_said(&store, &tr, &mut out);
            out.finish(&tr, code)
        }
        Ok(AuditVerdict::Broken { id, rows }) => {
            error_line(&tr.f(
                "audit.broken",
                &[("id", &id.to_string()), ("rows", &rows.to_string())],
            ));
            ExitCode::from(1)
        }
        Ok(AuditVerdict::AnchorMissing { rows }) => {
            error_line(&tr.f("audit.anchor_missing", &[("rows", &rows.to_string())]));
            ExitCode::from(1)
        }
        Err(error) => {
            error_line(&error.translated(&tr));
            ExitCode::from(1)
        }
    }
}

/// Checks the chain against the anchors kept outside the file and says what they show: exit
/// 0 when every anchor fits (or there is no anchor file yet), 1 naming the first that does not.
fn anchors_said(store: &crate::store::Store, tr: &Tr, out: &mut Output) -> ExitCode {
    use crate::store::AnchorCheck;
    let path = crate::center::anchor_path(store.path());
    let shown = printable(&path.display().to_string());
    match store.check_anchors(&path) {
        Ok(AnchorCheck::NoFile) => {
            out.line(&tr.f("audit.anchors_none", &[("path", &shown)]));
            ExitCode::SUCCESS
        }
        Ok(AnchorCheck::Fits {
            checked,
            replaced,
            restores,
        }) => {
            out.line(&tr.n("audit.anchors_fit", checked as u64, &[("path", &shown)]));
            for (at, from) in &restores {
                out.line(&tr.f(
                    "audit.anchors_restore",
                    &[("at", &local_time(at)), ("id", &from.to_string())],
                ));
            }
            if replaced > 0 {
                out.line(&tr.n("audit.anchors_replaced", replaced as u64, &[]));
            }
            ExitCode::SUCCESS
        }
        Ok(AnchorCheck::Missing { anchor, last_id }) => {
            let key = if anchor.id > last_id {
                "audit.anchor_cut"
            } else {
                "audit.anchor_rewritten"
            };
            error_line(&tr.f(
                key,
                &[
                    ("at", &local_time(&anchor.at)),
                    ("event", &anchor.event),
                    ("id", &anchor.id.to_string()),
                    ("last", &last_id.to_string()),
                    ("path", &shown),
                ],
            ));
            ExitCode::from(1)
        }
        Ok(AnchorCheck::Damaged { line }) => {
            error_line(&tr.f(
                "audit.anchors_damaged",
                &[("path", &shown), ("line", &line.to_string())],
            ));
            ExitCode::from(1)
        }
        Err(error) => {
            error_line(&error.translated(tr));
            ExitCode::from(1)
        }
    }
}

pub fn report(cli: &Cli, what: &ReportWhat) -> ExitCode {
    let ReportWhat::Daily { date, out, force } = what;
    let tr = Tr::new(cli.language());
    let mut store = match open_for(cli, &tr, Permission::DailySummary, "db.none") {
        Ok(store) => store,
        Err(code) => return code,
    };
    let date = date.unwrap_or_else(|| chrono::Local::now().date_naive());
    let (from, until) = local_day_bounds(date);
    let report = match store.daily_report(date, &from, &until) {
        Ok(report) => report,
        Err(error) => {
            error_line(&error.translated(&tr));
            return ExitCode::from(1);
        }
    };
    // The report is on the record, after the chain end it prints; the day is anchored.
    let details = serde_json::json!({ "report": "daily", "date": date.to_string() }).to_string();
    let anchors = crate::center::anchor_path(store.path());
    let recorded = store
        .append_audit(None, "report.daily", None, &details)
        .and_then(|_| store.anchor_daily(&anchors));
    if let Err(error) = recorded {
        error_line(&error.translated(&tr));
        return ExitCode::from(1);
    }
    // Refusal reasons are labelled from the rule set (by their codes, should it not load).
    let rules = super::checklist::load_rules(cli, &tr).ok().map(|l| l.set);
    let csv = daily_csv(&report, rules.as_ref(), &tr);
    crate::output::write_to(&tr, out, csv.as_bytes(), *force)
}

/// The daily summary as CSV: `date,section,key,label,count`, one row per count. Labels are in
/// the reader's language; keys stay the stable codes for spreadsheets and scripts.
pub fn daily_csv(report: &DailyReport, rules: Option<&crate::rules::RuleSet>, tr: &Tr) -> String {
    let mut csv = String::from("date,section,key,label,count\n");
    let date = report.date.to_string();
    let mut push = |section: &str, key: &str, label: &str, count: i64| {
        csv.push_str(&format!(
            "{date},{section},{},{},{count}\n",
            csv_field(key),
            csv_field(label)
        ));
    };
    for (code, n) in &report.by_status {
        let label =
            ApplicationStatus::from_code(code).map_or(code.clone(), |s| tr.t(s.message_key()));
        push("status", code, &label, *n);
    }
    for (code, n) in &report.by_reason {
        let label = rules.map_or_else(
            || code.clone(),
            |r| crate::ui::lookup::view::reason_text(r, code, tr),
        );
        push("refusal_reason", code, &label, *n);
    }
    for (code, n) in &report.closed {
        push(
            "closed",
            code,
            &tr.t(&format!("lookup.summary.closed_as.{code}")),
            *n,
        );
    }
    for (operator, n) in &report.by_operator {
        let name = operator
            .clone()
            .unwrap_or_else(|| tr.t("shell.no_operator"));
        push("operator", operator.as_deref().unwrap_or(""), &name, *n);
    }
    if let Some((id, hash)) = &report.anchor {
        push("audit", "last_hash", hash, *id);
    }
    csv
}

/// A CSV field, quoted when it holds a comma, a quote or a line break; a leading = + - @
/// is prefixed with ' so that a spreadsheet never runs it as a formula.
fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}
