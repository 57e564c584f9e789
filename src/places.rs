//! Reading a mobility's `place:`: the country names lapa knows (Latvian and English) and
//! the gazetteer of European cities, both embedded from `outcomes/data/` (made by
//! `scripts/outcomes-data/`). `site` reads each mobility's place with it and `outcomes`
//! counts and draws by what it read; it knows neither.

use std::collections::HashMap;
use std::sync::LazyLock;

/// Country names: `CC<TAB>English names<TAB>Latvian names`, names `|`-separated.
const COUNTRIES: &str = include_str!("outcomes/data/countries.tsv");
/// European cities: `CC<TAB>x<TAB>y<TAB>name<TAB>other names`, largest first.
const CITIES: &str = include_str!("outcomes/data/cities.tsv");

/// A city of the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct City {
    /// ISO 3166-1 alpha-2 code of its country.
    pub country: &'static str,
    /// Its place on the map (`map::WIDTH` × `map::HEIGHT` units).
    pub x: f32,
    pub y: f32,
    /// GeoNames' name (English or the native one).
    pub name: &'static str,
}

/// What lapa made of a `place:` and a `country:`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Place {
    /// ISO 3166-1 alpha-2, upper case; `None` when neither `country:` nor `place:` says.
    pub country: Option<String>,
    /// The gazetteer's index of the city, when `place:` names one lapa knows.
    pub city: Option<usize>,
    /// The city as written (`place:` without its country), for labels and messages.
    pub city_text: Option<String>,
}

struct Gazetteer {
    cities: Vec<City>,
    /// Folded name → the largest city of that name, per country and anywhere.
    by_name: HashMap<String, usize>,
    by_country_name: HashMap<(&'static str, String), usize>,
}

struct Countries {
    /// Folded name (Latvian or English) → code.
    by_name: HashMap<String, &'static str>,
    /// Code → (English name, Latvian name).
    names: HashMap<&'static str, (&'static str, &'static str)>,
}

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    let mut cities = Vec::new();
    let mut by_name = HashMap::new();
    let mut by_country_name = HashMap::new();
    for line in CITIES.lines() {
        let mut f = line.split('\t');
        let (Some(cc), Some(x), Some(y), Some(name), others) = (
            f.next(),
            f.next(),
            f.next(),
            f.next(),
            f.next().unwrap_or(""),
        ) else {
            continue;
        };
        let (Ok(x), Ok(y)) = (x.parse(), y.parse()) else {
            continue;
        };
        let i = cities.len();
        cities.push(City {
            country: cc,
            x,
            y,
            name,
        });
        for n in std::iter::once(name).chain(others.split('|').filter(|n| !n.is_empty())) {
            let key = fold(n);
            // Largest first: the first city of a name keeps it.
            by_name.entry(key.clone()).or_insert(i);
            by_country_name.entry((cc, key)).or_insert(i);
        }
    }
    Gazetteer {
        cities,
        by_name,
        by_country_name,
    }
});

static COUNTRY_NAMES: LazyLock<Countries> = LazyLock::new(|| {
    let mut by_name = HashMap::new();
    let mut names = HashMap::new();
    for line in COUNTRIES.lines() {
        let mut f = line.split('\t');
        let (Some(cc), Some(en), Some(lv)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let first = |list: &'static str| list.split('|').next().unwrap_or(cc);
        names.insert(cc, (first(en), first(lv)));
        for n in en.split('|').chain(lv.split('|')).filter(|n| !n.is_empty()) {
            by_name.entry(fold(n)).or_insert(cc);
        }
    }
    Countries { by_name, names }
});

/// A name lowercased and without diacritics, its words single-spaced (`Budapešta` →
/// `budapesta`), as the search index folds words.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    crate::search::normalise::visit_words(name, |w| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    });
    out
}

/// The size of the embedded gazetteer and country names, in bytes.
pub fn embedded_bytes() -> usize {
    COUNTRIES.len() + CITIES.len()
}

/// The gazetteer's city `i`.
pub fn city(i: usize) -> &'static City {
    &GAZETTEER.cities[i]
}

/// The country code a name stands for (`Ungārija`, `Hungary` → `HU`).
pub fn country_by_name(name: &str) -> Option<&'static str> {
    COUNTRY_NAMES.by_name.get(&fold(name)).copied()
}

/// Whether `code` is an ISO 3166-1 alpha-2 code lapa knows.
pub fn is_country(code: &str) -> bool {
    COUNTRY_NAMES.names.contains_key(code)
}

/// A country's name in `lang` (Latvian or English; the code for a code lapa does not know).
pub fn country_name(code: &str, lang: &str) -> String {
    match COUNTRY_NAMES.names.get(code) {
        Some((_, lv)) if lang == "lv" => (*lv).to_string(),
        Some((en, _)) => (*en).to_string(),
        None => code.to_string(),
    }
}

/// Read `place:` (and `country:`, which wins over a country named in `place:`):
/// `Budapešta, Ungārija` → HU and the city Budapest.
pub fn read(place: Option<&str>, country: Option<&str>) -> Place {
    let country = country
        .map(|c| c.trim().to_ascii_uppercase())
        .filter(|c| is_country(c));
    let Some(place) = place.map(str::trim).filter(|p| !p.is_empty()) else {
        return Place {
            country,
            ..Place::default()
        };
    };
    let parts: Vec<&str> = place
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    // The last part may be the country; the first is the city.
    let named = parts
        .last()
        .and_then(|last| country_by_name(last))
        .map(str::to_string);
    let city_parts = if named.is_some() {
        &parts[..parts.len() - 1]
    } else {
        &parts[..]
    };
    let country = country.or(named);
    let g = &*GAZETTEER;
    let find = |c: &str| {
        let key = fold(c);
        match country.as_deref() {
            Some(cc) => g.by_country_name.get(&(cc, key)).copied(),
            None => g.by_name.get(&key).copied(),
        }
    };
    // The city is the part nearest the end that lapa knows (`Nacionālā bibliotēka,
    // Rīga`), else the first part as written.
    let found = city_parts
        .iter()
        .rev()
        .find_map(|part| find(part).map(|i| (i, *part)));
    let (city, city_text) = match found {
        Some((i, part)) => (Some(i), Some(part.to_string())),
        None => (None, city_parts.first().map(|c| c.to_string())),
    };
    let country = country.or_else(|| city.map(|i| g.cities[i].country.to_string()));
    Place {
        country,
        city,
        city_text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn city_name(p: &Place) -> Option<&'static str> {
        p.city.map(|i| city(i).name)
    }

    #[test]
    fn a_city_is_found_by_its_latvian_english_and_native_names() {
        for place in [
            "Budapešta, Ungārija",
            "Budapest, Hungary",
            "Budapesti",
            "budapesta",
        ] {
            let p = read(Some(place), None);
            assert_eq!(p.country.as_deref(), Some("HU"), "{place}");
            assert_eq!(city_name(&p), Some("Budapest"), "{place}");
        }
        let lisbon = read(Some("Lisabona"), None);
        assert_eq!(
            (lisbon.country.as_deref(), city_name(&lisbon)),
            (Some("PT"), Some("Lisbon"))
        );
    }

    #[test]
    fn country_wins_and_an_unknown_city_keeps_its_country() {
        let p = read(Some("Mazciemats, Somija"), None);
        assert_eq!((p.country.as_deref(), p.city), (Some("FI"), None));
        assert_eq!(p.city_text.as_deref(), Some("Mazciemats"));
        let p = read(Some("Valencia"), Some("es"));
        assert_eq!(
            (p.country.as_deref(), city_name(&p)),
            (Some("ES"), Some("Valencia"))
        );
        let p = read(Some("Latvijas Nacionālā bibliotēka, Rīga"), None);
        assert_eq!(
            (p.country.as_deref(), city_name(&p)),
            (Some("LV"), Some("Riga"))
        );
        assert_eq!(p.city_text.as_deref(), Some("Rīga"));
        let p = read(Some("Nekurzeme"), None);
        assert_eq!((p.country, p.city), (None, None));
        assert_eq!(read(None, Some("XX")).country, None);
    }

    #[test]
    fn country_names_in_both_languages() {
        assert_eq!(country_by_name("Ungārija"), Some("HU"));
        assert_eq!(country_by_name("hungary"), Some("HU"));
        assert_eq!(country_name("HU", "lv"), "Ungārija");
        assert_eq!(country_name("PT", "en"), "Portugal");
    }
}
