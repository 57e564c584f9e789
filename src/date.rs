//! Dates as front matter writes them, and as a page shows them.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

/// A report's date: the calendar day it shows, and the instant it sorts and publishes by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageDate {
    /// The instant, for ordering and for "is this in the future?".
    pub instant: Timestamp,
    /// The day as written (no time-zone shift), for display.
    pub day: Date,
}

impl PageDate {
    /// Parse `2024-03-28`, `2024-03-28 10:00`, `2024-03-28T10:00:00` or an RFC 3339
    /// date-time such as `2024-03-28T10:00:00+02:00`.
    ///
    /// A date with no zone is read as UTC, so the same file gives the same site on
    /// every machine.
    pub fn parse(text: &str) -> Result<PageDate, String> {
        let text = text.trim();
        let expected =
            "expected a date such as 2024-03-28 or a date-time such as 2024-03-28T10:00:00+02:00";
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
                .map_err(|_| format!("`{text}` is out of range: {expected}"))?;
            return Ok(PageDate {
                instant,
                day: dt.date(),
            });
        }
        if let Ok(day) = text.parse::<Date>() {
            let instant = TimeZone::UTC
                .to_timestamp(day.to_datetime(jiff::civil::Time::midnight()))
                .map_err(|_| format!("`{text}` is out of range: {expected}"))?;
            return Ok(PageDate { instant, day });
        }
        Err(format!("`{text}` is not a date: {expected}"))
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
