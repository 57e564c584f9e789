//! `lapa check`'s warnings about the places of a page's mobility (read by `crate::places`).

use crate::places::country_name;

/// `lapa check`'s warnings about a mobility's place: a country lapa cannot tell, or a
/// city it does not know (shown by its country only). Never errors: the page is fine.
pub fn check(page: &crate::site::Page, m: &crate::site::Mobility) -> Vec<crate::error::Diagnostic> {
    use crate::error::Diagnostic;
    // The line of `place:` (or `country:`) inside the `mobility:` block.
    let line_of = |key: &str| {
        let start = page.line_of("mobility");
        page.front
            .text
            .lines()
            .enumerate()
            .skip(start.saturating_sub(page.front.line))
            .find(|(_, l)| {
                l.trim_start()
                    .strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            })
            .map_or(start, |(i, _)| i + page.front.line)
    };
    let mut out = Vec::new();
    let place = m.place.as_deref().unwrap_or("");
    let warn = |line: usize, message: String| {
        Diagnostic::new(&page.file, message)
            .at(line, None)
            .warning()
    };
    let written = page
        .front
        .text
        .lines()
        .any(|l| l.trim_start().starts_with("country:"));
    if written && m.location.country.is_none() {
        out.push(warn(line_of("country"), "the mobility's `country:` is not an ISO 3166-1 code lapa knows: write two letters, e.g. `country: HU` for Hungary".to_string()));
    } else if m.location.country.is_none() && !place.trim().is_empty() {
        out.push(warn(line_of("place"), format!("lapa cannot tell which country `place: {place}` is in, so this mobility is counted without a country and is not on the map: end the place with the country (`Budapešta, Ungārija`) or add `country: HU`")));
    }
    if let (Some(city), None, Some(cc)) =
        (&m.location.city_text, m.location.city, &m.location.country)
    {
        out.push(warn(line_of("place"), format!("lapa does not know the city `{city}` in {}, so the map shows this mobility by its country only: check the spelling, or write the city's English or native name", country_name(cc, "en"))));
    }
    out
}
