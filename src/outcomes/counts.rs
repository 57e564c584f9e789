//! Counting a site's mobilities: per project and for the whole site, per year and in
//! total. Only published pages are in the `Site`, and a report and its translations
//! count once.

use std::collections::{BTreeMap, BTreeSet};

use crate::site::{Activity, Page, PageId, ProjectId, Site};

/// The kinds of activity, in the order tables show them.
pub const ACTIVITIES: [Activity; 5] = [
    Activity::Course,
    Activity::JobShadowing,
    Activity::Teaching,
    Activity::Conference,
    Activity::Other,
];

/// What a set of mobilities adds up to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Tally {
    pub mobilities: u64,
    pub participants: u64,
    /// Participants × days, each mobility's days counted from start to end, both included.
    pub participant_days: u64,
    /// Country codes.
    pub countries: BTreeSet<String>,
    /// Cities, by [`CityKey`].
    pub cities: BTreeSet<CityKey>,
    /// Mobilities by activity, in the order of [`ACTIVITIES`].
    pub activities: [u64; 5],
}

/// A city: the gazetteer's, or one it does not know, by its country and folded name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CityKey {
    Known(usize),
    Unknown(String, String),
}

/// One country's mobilities.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CountryTally {
    pub mobilities: u64,
    pub participants: u64,
    pub cities: BTreeMap<CityKey, CityTally>,
}

/// One city's mobilities, and how the reports wrote its name in each language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CityTally {
    pub mobilities: u64,
    /// Language → how reports in that language wrote the city, and how often.
    pub written: BTreeMap<String, BTreeMap<String, u64>>,
}

/// The counts of one project, or of the site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Summary {
    pub total: Tally,
    /// By the year the mobility started (the report's year when it has no `start:`).
    pub years: BTreeMap<i16, Tally>,
    /// By country code; mobilities without a country are in the totals only.
    pub countries: BTreeMap<String, CountryTally>,
}

/// Every count the site shows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Outcomes {
    pub site: Summary,
    /// By project, in the order of [`Site::projects`].
    pub projects: Vec<Summary>,
}

impl Outcomes {
    /// Count the mobilities of the site's published reports.
    pub fn of(site: &Site) -> Outcomes {
        let mut out = Outcomes {
            site: Summary::default(),
            projects: vec![Summary::default(); site.projects.len()],
        };
        for id in counted_pages(site) {
            let page = site.page(id);
            let group: Vec<&Page> = std::iter::once(page)
                .chain(page.translations.iter().map(|&t| site.page(t)))
                .collect();
            out.site.add(&group);
            for &p in &page.projects {
                out.projects[p.index()].add(&group);
            }
        }
        out
    }

    /// The outcomes of project `id`.
    pub fn project(&self, id: ProjectId) -> &Summary {
        &self.projects[id.index()]
    }
}

/// The pages whose mobility is counted, in the order of [`Site::pages`] (newest first):
/// one of each report and its translations.
pub fn counted_pages(site: &Site) -> impl Iterator<Item = PageId> + '_ {
    let default = site.config.default_language();
    site.pages_with_ids()
        .filter(move |&(id, page)| page.mobility.is_some() && counted_page(site, id, default) == id)
        .map(|(id, _)| id)
}

/// The one page of a report and its translations that is counted: the one in the
/// site's default language, else the first.
fn counted_page(site: &Site, id: PageId, default: &str) -> PageId {
    let page = site.page(id);
    if page.lang == default {
        return id;
    }
    let mut ids: Vec<PageId> = std::iter::once(id)
        .chain(
            page.translations
                .iter()
                .copied()
                .filter(|&t| site.page(t).mobility.is_some()),
        )
        .collect();
    ids.sort_unstable();
    ids.iter()
        .copied()
        .find(|&t| site.page(t).lang == default)
        .unwrap_or(ids[0])
}

impl Summary {
    /// Add the mobility of `group[0]` (`group` is it and its translations).
    fn add(&mut self, group: &[&Page]) {
        let page = group[0];
        let Some(m) = &page.mobility else {
            return;
        };
        let year = m
            .start
            .map(|d| d.year())
            .or_else(|| page.date.map(|d| d.year()));
        if let Some(year) = year {
            self.years.entry(year).or_default().add(m);
        }
        self.total.add(m);
        let Some(cc) = &m.location.country else {
            return;
        };
        let country = self.countries.entry(cc.clone()).or_default();
        country.mobilities += 1;
        country.participants += u64::from(m.participants);
        if let Some(key) = city_key(m) {
            let city = country.cities.entry(key).or_default();
            city.mobilities += 1;
            for p in group {
                if let Some(text) = p
                    .mobility
                    .as_ref()
                    .and_then(|m| m.location.city_text.as_ref())
                {
                    *city
                        .written
                        .entry(p.lang.clone())
                        .or_default()
                        .entry(text.clone())
                        .or_default() += 1;
                }
            }
        }
    }
}

fn city_key(m: &crate::site::Mobility) -> Option<CityKey> {
    match (&m.location.city, &m.location.city_text, &m.location.country) {
        (Some(i), _, _) => Some(CityKey::Known(*i)),
        (None, Some(text), Some(cc)) => {
            Some(CityKey::Unknown(cc.clone(), crate::places::fold(text)))
        }
        _ => None,
    }
}

impl Tally {
    fn add(&mut self, m: &crate::site::Mobility) {
        self.mobilities += 1;
        self.participants += u64::from(m.participants);
        self.participant_days += u64::from(m.participants) * days(m);
        if let Some(cc) = &m.location.country {
            self.countries.insert(cc.clone());
        }
        if let Some(key) = city_key(m) {
            self.cities.insert(key);
        }
        if let Some(i) = ACTIVITIES.iter().position(|&a| a == m.activity) {
            self.activities[i] += 1;
        }
    }
}

/// A mobility's days, `start` and `end` both included (1 when only one is given, 0
/// when neither is).
pub fn days(m: &crate::site::Mobility) -> u64 {
    match (m.start, m.end) {
        (Some(s), Some(e)) => s
            .until(e)
            .map_or(1, |span| u64::try_from(span.get_days()).unwrap_or(0) + 1),
        (Some(_), None) | (None, Some(_)) => 1,
        (None, None) => 0,
    }
}
