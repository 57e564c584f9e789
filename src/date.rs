//! Dates as front matter writes them, and as a page shows them.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use crate::msg;

/// A report's date: the calendar day it shows, and the instant it sorts and publishes by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageDate {
    /// The instant, for ordering and for "is this in the future?".
    pub instant: Timestamp,
    /// The day as written (no time-zone shift), for display.
    pub day: Date,
}

impl PageDate {
    /// Parse `2024-03-28`, `2024-03-28 10:00`, `2024-03-28T10:00:00`, an RFC 3339
    /// date-time such as `2024-03-28T10:00:00+02:00`, or a date as Latvians write it:
    /// `28.03.2024`, `28.03.2024.`, `28.03.2024 14:05`.
    ///
    /// A date with no zone is read as UTC, so the same file gives the same site on
    /// every machine. A date with slashes (`03/04/2024`) is refused: it reads two ways.
    pub fn parse(text: &str) -> Result<PageDate, String> {
        let original = text.trim();
        let latvian = latvian_to_iso(original)?;
        let text = latvian.as_deref().unwrap_or(original);
        if let Ok(ts) = text.parse::<Timestamp>() {
            let zoned = text
                .parse::<jiff::Zoned>()
                .map(|z| z.date())
                .unwrap_or_else(|_| offset_day(text, ts));
            return Ok(PageDate {
                instant: ts,
                day: zoned,
            });
        }
        if let Ok(dt) = text.parse::<DateTime>() {
            let instant = TimeZone::UTC
                .to_timestamp(dt)
                .map_err(|_| msg!("date-out-of-range", text = original))?;
            return Ok(PageDate {
                instant,
                day: dt.date(),
            });
        }
        if let Ok(day) = text.parse::<Date>() {
            let instant = TimeZone::UTC
                .to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
                .map_err(|_| msg!("date-out-of-range", text = original))?;
            return Ok(PageDate { instant, day });
        }
        Err(msg!("date-not-a-date", text = original))
    }

    pub fn year(&self) -> i16 {
        self.day.year()
    }

    /// `2024-03-28`.
    pub fn iso_day(&self) -> String {
        self.day.to_string()
    }

    /// RFC 3339 in UTC, for feeds and sitemaps.
    pub fn rfc3339(&self) -> String {
        self.instant.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// A day with no time (a project's or a mobility's `start` and `end`): `2024-03-28` or
/// `28.03.2024`.
pub fn parse_day(text: &str) -> Result<Date, String> {
    let original = text.trim();
    let latvian = latvian_to_iso(original)?;
    latvian
        .as_deref()
        .unwrap_or(original)
        .parse::<Date>()
        .map_err(|_| msg!("date-not-a-day", text = original))
}

/// `28.03.2024`, `28.03.2024.` or `28.03.2024 14:05` as ISO 8601 (`2024-03-28 14:05`);
/// nothing for any other text; an error for a date with slashes, which reads two ways.
fn latvian_to_iso(text: &str) -> Result<Option<String>, String> {
    let (day_part, time) = match text.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (text, None),
    };
    if let Some(parts) = numbers(day_part, '/') {
        return Err(slash_date(text, parts));
    }
    let Some([d, m, y]) = numbers(day_part.strip_suffix('.').unwrap_or(day_part), '.') else {
        return Ok(None);
    };
    if y.len() != 4 {
        return Ok(None);
    }
    let date = format!("{y}-{m:0>2}-{d:0>2}");
    Ok(Some(match time {
        Some(t) => format!("{date} {t}"),
        None => date,
    }))
}

/// `a.b.cccc` (or with `sep`) as three runs of digits, days and months of one or two.
fn numbers(text: &str, sep: char) -> Option<[&str; 3]> {
    let mut parts = text.split(sep);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    (parts.next().is_none() && digits(a, 1..=2) && digits(b, 1..=2) && digits(c, 4..=4))
        .then_some([a, b, c])
}

/// The error for `03/04/2024`: both readings, and the forms to write instead.
fn slash_date(text: &str, [a, b, y]: [&str; 3]) -> String {
    let reading = |d: &str, m: &str| {
        let iso = format!("{y}-{m:0>2}-{d:0>2}");
        iso.parse::<Date>()
            .ok()
            .map(|_| format!("{d:0>2}.{m:0>2}.{y} ({iso})"))
    };
    let readings: Vec<String> = [reading(a, b), reading(b, a)]
        .into_iter()
        .flatten()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let example = readings
        .first()
        .cloned()
        .unwrap_or_else(|| "28.03.2024 (2024-03-28)".into());
    msg!(
        "date-slash",
        text = text,
        readings = readings.join(" / "),
        example = example
    )
}

/// The calendar day of an RFC 3339 text, read off its own digits (its offset is the
/// writer's local time, which is the day they meant).
fn offset_day(text: &str, ts: Timestamp) -> Date {
    text.get(..10)
        .and_then(|d| d.parse::<Date>().ok())
        .unwrap_or_else(|| ts.to_zoned(TimeZone::UTC).date())
}

/// Format a day by a language's pattern (`{year}. gada {day}. {month}`) and month names.
pub fn format_day(day: Date, pattern: &str, months: &[String]) -> String {
    let month = months
        .get(usize::try_from(day.month() - 1).unwrap_or(0))
        .map(String::as_str)
        .unwrap_or("");
    pattern
        .replace("{year}", &day.year().to_string())
        .replace("{day}", &day.day().to_string())
        .replace("{month}", month)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(names: &str) -> Vec<String> {
        names.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn a_plain_date() {
        let d = PageDate::parse("2024-03-28").unwrap();
        assert_eq!(d.iso_day(), "2024-03-28");
        assert_eq!(d.rfc3339(), "2024-03-28T00:00:00Z");
    }

    #[test]
    fn an_rfc3339_date_time_keeps_its_day() {
        let d = PageDate::parse("2015-01-01T01:00:00+02:00").unwrap();
        assert_eq!(d.iso_day(), "2015-01-01");
        assert_eq!(d.rfc3339(), "2014-12-31T23:00:00Z");
    }

    #[test]
    fn latvian_dates() {
        for text in ["28.03.2024", "28.03.2024.", "28.3.2024"] {
            assert_eq!(
                PageDate::parse(text).unwrap().iso_day(),
                "2024-03-28",
                "{text}"
            );
        }
        let d = PageDate::parse("28.03.2024 14:05").unwrap();
        assert_eq!(d.rfc3339(), "2024-03-28T14:05:00Z");
        assert_eq!(parse_day("01.06.2023").unwrap().to_string(), "2023-06-01");
        assert!(PageDate::parse("31.02.2024").is_err());
    }

    #[test]
    fn a_slash_date_shows_both_readings() {
        let e = PageDate::parse("03/04/2024").unwrap_err();
        assert!(e.contains("03.04.2024 (2024-04-03)"), "{e}");
        assert!(e.contains("04.03.2024 (2024-03-04)"), "{e}");
        let e = parse_day("28/03/2024").unwrap_err();
        assert!(e.contains("28.03.2024 (2024-03-28)"), "{e}");
    }

    #[test]
    fn words_are_not_a_date() {
        let e = PageDate::parse("yesterday").unwrap_err();
        assert!(e.contains("2024-03-28"), "{e}");
    }

    #[test]
    fn latvian_and_english_display() {
        let day = Date::new(2024, 3, 28).unwrap();
        let lv = months(
            "janvāris februāris marts aprīlis maijs jūnijs jūlijs augusts septembris oktobris novembris decembris",
        );
        let en = months(
            "January February March April May June July August September October November December",
        );
        assert_eq!(
            format_day(day, "{year}. gada {day}. {month}", &lv),
            "2024. gada 28. marts"
        );
        assert_eq!(
            format_day(day, "{day} {month} {year}", &en),
            "28 March 2024"
        );
    }
}
