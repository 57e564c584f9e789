//! What templates see of the outcomes: a project's "Outcomes" section and the site's
//! `/mobility/` page, their numbers in words from the theme's plural strings, and the map.

use serde::Serialize;

use crate::outcomes::counts::{ACTIVITIES, Summary, Tally};
use crate::outcomes::map::{self, MapText};
use crate::places;
use crate::plural;
use crate::theme::UiStrings;

/// `n` in words from the theme's strings `KEY_zero`, `KEY_one`, `KEY_other` by the
/// language's plural rules (`KEY_other` when a form is missing): "21 mobilitāte".
pub fn count(ui: &UiStrings, lang: &str, key: &str, n: u64) -> String {
    let form = plural::form(lang, n).key();
    let mut text = ui.get(&format!("{key}_{form}"));
    if text == format!("{key}_{form}") {
        text = ui.get(&format!("{key}_other"));
    }
    text.replace("{n}", &n.to_string())
}

/// The numbers of one project or of the site.
#[derive(Serialize)]
pub struct OutcomesView {
    /// Nothing to show: no published report has a mobility.
    pub empty: bool,
    /// The totals in words: mobilities, participants, participant-days, countries, cities.
    pub facts: Vec<Fact>,
    pub activities: Vec<TallyRow>,
    pub years: Vec<TallyRow>,
    pub countries: Vec<CountryRow>,
    /// The map, an inline SVG.
    pub map: String,
    pub legend: Vec<LegendItem>,
}

#[derive(Serialize)]
pub struct Fact {
    pub key: &'static str,
    pub n: u64,
    pub text: String,
}

/// A row of a table of counts: a year, an activity or a project.
#[derive(Serialize)]
pub struct TallyRow {
    pub label: String,
    pub url: String,
    pub mobilities: u64,
    pub participants: u64,
    pub participant_days: u64,
    pub countries: usize,
    pub cities: usize,
}

#[derive(Serialize)]
pub struct CountryRow {
    pub code: String,
    pub name: String,
    /// "Budapešta (2), Egera".
    pub cities: String,
    pub mobilities: u64,
    pub participants: u64,
    pub shade: u8,
}

#[derive(Serialize)]
pub struct LegendItem {
    pub shade: u8,
    pub label: String,
}

fn row(label: String, url: String, t: &Tally) -> TallyRow {
    TallyRow {
        label,
        url,
        mobilities: t.mobilities,
        participants: t.participants,
        participant_days: t.participant_days,
        countries: t.countries.len(),
        cities: t.cities.len(),
    }
}

/// A project's or the site's numbers in `lang`; `id` makes the map's ids unique on a page.
pub fn view(summary: &Summary, ui: &UiStrings, lang: &str, id: &str) -> OutcomesView {
    let t = &summary.total;
    let facts = [
        ("mobilities", t.mobilities),
        ("participants", t.participants),
        ("participant_days", t.participant_days),
        ("countries", t.countries.len() as u64),
        ("cities", t.cities.len() as u64),
    ]
    .into_iter()
    .map(|(key, n)| Fact {
        key,
        n,
        text: count(ui, lang, key, n),
    })
    .collect();
    let activities = ACTIVITIES
        .iter()
        .zip(t.activities)
        .filter(|(_, n)| *n > 0)
        .map(|(a, n)| TallyRow {
            label: ui.get(&a.ui_key()),
            url: String::new(),
            mobilities: n,
            participants: 0,
            participant_days: 0,
            countries: 0,
            cities: 0,
        })
        .collect();
    let years = summary
        .years
        .iter()
        .rev()
        .map(|(y, t)| row(y.to_string(), String::new(), t))
        .collect();
    let mut countries: Vec<CountryRow> = summary
        .countries
        .iter()
        .map(|(cc, c)| CountryRow {
            code: cc.clone(),
            name: places::country_name(cc, lang),
            cities: c
                .cities
                .iter()
                .map(|(key, city)| {
                    let name = map::city_label(key, &city.written, lang);
                    if city.mobilities > 1 {
                        format!("{name} ({})", city.mobilities)
                    } else {
                        name
                    }
                })
                .collect::<Vec<_>>()
                .join(", "),
            mobilities: c.mobilities,
            participants: c.participants,
            shade: map::shade(c.mobilities),
        })
        .collect();
    countries.sort_by(|a, b| {
        b.mobilities
            .cmp(&a.mobilities)
            .then_with(|| crate::collate::compare(lang, &a.name, &b.name))
    });
    let list = countries
        .iter()
        .map(|c| {
            format!(
                "{}: {}",
                c.name,
                count(ui, lang, "mobilities", c.mobilities)
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let description = ui
        .get("map_description")
        .replace("{mobilities}", &count(ui, lang, "mobilities", t.mobilities))
        .replace(
            "{countries}",
            &count(ui, lang, "countries", t.countries.len() as u64),
        )
        .replace(
            "{cities}",
            &count(ui, lang, "cities", t.cities.len() as u64),
        )
        .replace("{list}", &list);
    let title = ui.get("map_title");
    let label = |name: &str, n: u64| format!("{name}: {}", count(ui, lang, "mobilities", n));
    let map = if t.mobilities == 0 {
        String::new()
    } else {
        map::svg(
            summary,
            &MapText {
                lang,
                title: &title,
                description: &description,
                count: &label,
            },
            id,
        )
    };
    let legend = ["1", "2–3", "4–7", "8+"]
        .iter()
        .zip(1u8..)
        .map(|(range, shade)| LegendItem {
            shade,
            label: range.to_string(),
        })
        .collect();
    OutcomesView {
        empty: t.mobilities == 0,
        facts,
        activities,
        years,
        countries,
        map,
        legend,
    }
}

/// A project's row on the site's page.
pub fn project_row(title: String, url: String, summary: &Summary) -> TallyRow {
    row(title, url, &summary.total)
}
