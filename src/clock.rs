//! The local clock as the desk and the commands read it: where a local day starts and ends
//! in the UTC timestamps the store keeps, and how long until the next one starts.

/// The UTC timestamps at which a local day starts and the next one starts, as the store
/// compares them.
pub fn local_day_bounds(date: chrono::NaiveDate) -> (String, String) {
    use chrono::{Datelike, TimeZone};
    let start = |d: chrono::NaiveDate| {
        let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        chrono::Local
            .from_local_datetime(&midnight)
            .earliest()
            .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&chrono::Utc))
    };
    let until = match date.succ_opt().filter(|next| next.year() <= 9999) {
        Some(next) => timestamp(start(next)),
        // The last day there is: every timestamp of it sorts before this one.
        None => format!("{date}U"),
    };
    (timestamp(start(date)), until)
}

/// How long from `now` until the next local day starts (a little after midnight, so the
/// date read on waking is the new one), for the desk loop's wake-up.
pub fn until_next_day(now: chrono::DateTime<chrono::Local>) -> std::time::Duration {
    use chrono::TimeZone;
    let next_day = now.date_naive().succ_opt().unwrap_or(now.date_naive());
    let midnight = next_day.and_hms_opt(0, 0, 1).unwrap_or_default();
    let next = chrono::Local
        .from_local_datetime(&midnight)
        .earliest()
        .unwrap_or(now + chrono::Duration::hours(1));
    (next - now)
        .to_std()
        .unwrap_or(std::time::Duration::from_secs(60))
        .max(std::time::Duration::from_secs(1))
}

/// When a lockout ends, as the messages say it: local time of day.
pub fn lock_ends(until: chrono::DateTime<chrono::Utc>) -> String {
    until
        .with_timezone(&chrono::Local)
        .format("%H:%M:%S")
        .to_string()
}

/// The one text form of a timestamp in the database: UTC, seconds precision.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::until_next_day;
    use chrono::TimeZone;

    /// The loop's midnight wake-up, with the clock given: a second before the new year, at
    /// noon, and just after midnight.
    #[test]
    fn the_loop_wakes_at_the_next_local_midnight() {
        let at = |y, m, d, h, min, s| {
            chrono::Local
                .with_ymd_and_hms(y, m, d, h, min, s)
                .earliest()
                .unwrap()
        };
        let wait = until_next_day(at(2026, 12, 31, 23, 59, 59)).as_secs();
        assert!((1..=2).contains(&wait), "{wait}");
        let wait = until_next_day(at(2026, 6, 15, 12, 0, 0)).as_secs();
        assert!(
            (12 * 3600 - 3600..=12 * 3600 + 3600).contains(&wait),
            "{wait}"
        );
        let wait = until_next_day(at(2027, 1, 1, 0, 0, 30)).as_secs();
        assert!(wait > 23 * 3600, "{wait}");
    }
}
