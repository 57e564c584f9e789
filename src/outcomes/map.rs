//! The map of Europe: a static SVG drawn at build time from the embedded outlines
//! (`data/europe.tsv`, made by `scripts/outcomes-data/`): countries visited shaded by
//! how many mobilities went there, each city a dot sized by its count.

use std::fmt::Write as _;
use std::sync::LazyLock;

use super::counts::{CityKey, Summary};
use crate::escape::xml_into;
use crate::places;

/// Country outlines, projected: a `#<TAB>WIDTH<TAB>HEIGHT` line, then `CC<TAB>path`.
const EUROPE: &str = include_str!("data/europe.tsv");

struct Outlines {
    width: u32,
    height: u32,
    countries: Vec<(&'static str, &'static str)>,
}

static OUTLINES: LazyLock<Outlines> = LazyLock::new(|| {
    let mut lines = EUROPE.lines();
    let mut size = lines.next().unwrap_or("").split('\t').skip(1);
    let mut num = || size.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let (width, height) = (num(), num());
    let countries = lines.filter_map(|l| l.split_once('\t')).collect();
    Outlines {
        width,
        height,
        countries,
    }
});

/// The shade (1–4) of a country with `n` mobilities: 1, 2–3, 4–7, 8 or more.
pub fn shade(n: u64) -> u8 {
    match n {
        0 => 0,
        1 => 1,
        2..=3 => 2,
        4..=7 => 3,
        _ => 4,
    }
}

/// The labels a map needs, in the page's language.
pub struct MapText<'a> {
    pub lang: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// "Hungary: 3 mobilities" for a country or a city: (name, count) → text.
    pub count: &'a dyn Fn(&str, u64) -> String,
}

/// A city's name on a page in `lang`: as reports in that language wrote it most often
/// (on a tie, a name other than the gazetteer's: `Budapešta` rather than `Budapest` on a
/// Latvian page), else the gazetteer's name, else as any report wrote it.
pub fn city_label(
    key: &CityKey,
    written: &std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>>,
    lang: &str,
) -> String {
    let gazetteer = match key {
        CityKey::Known(i) => Some(places::city(*i).name),
        CityKey::Unknown(..) => None,
    };
    let best = |forms: &std::collections::BTreeMap<String, u64>| {
        forms
            .iter()
            .max_by_key(|(name, n)| (**n, Some(name.as_str()) != gazetteer))
            .map(|(name, _)| name.clone())
    };
    written
        .get(lang)
        .and_then(best)
        .or_else(|| gazetteer.map(str::to_string))
        .or_else(|| written.values().find_map(best))
        .unwrap_or_default()
}

/// The SVG (role="img", its title and a description that states the numbers).
pub fn svg(summary: &Summary, text: &MapText, id: &str) -> String {
    let o = &*OUTLINES;
    let mut s = String::with_capacity(EUROPE.len() + 4096);
    let _ = write!(
        s,
        r#"<svg class="europe-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc" tabindex="0"><title id="{id}-title">"#,
        w = o.width,
        h = o.height,
    );
    xml_into(text.title, &mut s);
    let _ = write!(s, r#"</title><desc id="{id}-desc">"#);
    xml_into(text.description, &mut s);
    s.push_str(r#"</desc><rect class="europe-map__sea" width="100%" height="100%"/><g class="europe-map__land">"#);
    for (cc, d) in &o.countries {
        match summary.countries.get(*cc) {
            Some(c) => {
                let _ = write!(
                    s,
                    r#"<path class="europe-map__country europe-map__shade-{}" data-country="{cc}" data-mobilities="{}" d="{d}"><title>"#,
                    shade(c.mobilities),
                    c.mobilities,
                );
                xml_into(
                    &(text.count)(&places::country_name(cc, text.lang), c.mobilities),
                    &mut s,
                );
                s.push_str("</title></path>");
            }
            None => {
                let _ = write!(s, r#"<path class="europe-map__country" d="{d}"/>"#);
            }
        }
    }
    s.push_str(r#"</g><g class="europe-map__cities">"#);
    // Larger dots first, so a small one is never hidden under a large one.
    let mut cities: Vec<_> = summary
        .countries
        .values()
        .flat_map(|c| c.cities.iter())
        .filter_map(|(key, city)| match key {
            CityKey::Known(i) => Some((*i, key, city)),
            CityKey::Unknown(..) => None,
        })
        .collect();
    cities.sort_by(|a, b| b.2.mobilities.cmp(&a.2.mobilities).then(a.0.cmp(&b.0)));
    for (i, key, city) in cities {
        let place = places::city(i);
        let r = 7.0 + 4.0 * (city.mobilities as f32).sqrt();
        let label = (text.count)(&city_label(key, &city.written, text.lang), city.mobilities);
        let right = place.x > o.width as f32 * 0.72;
        let _ = write!(
            s,
            r#"<g class="europe-map__city" data-country="{}" data-city="{}" data-mobilities="{}"><title>"#,
            place.country,
            crate::escape::xml(place.name),
            city.mobilities,
        );
        xml_into(&label, &mut s);
        let _ = write!(
            s,
            r#"</title><circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}"/><text x="{tx:.1}" y="{ty:.1}"{anchor}>"#,
            x = place.x,
            y = place.y,
            tx = if right {
                place.x - r - 4.0
            } else {
                place.x + r + 4.0
            },
            ty = place.y + 7.0,
            anchor = if right { r#" text-anchor="end""# } else { "" },
        );
        xml_into(&label, &mut s);
        s.push_str("</text></g>");
    }
    s.push_str("</g></svg>");
    s
}

/// The size of the embedded map data (outlines, gazetteer, country names), in bytes.
pub fn embedded_bytes() -> usize {
    EUROPE.len() + places::embedded_bytes()
}
