//! The build's hot stages, each timed on its own, so a change that slows one shows:
//! `cargo bench` (see BENCHMARKS.md).
//!
//! The site is made up here, in a temporary folder: `LAPA_BENCH_REPORTS` reports
//! (1,000 unless set) of Latvian-like text, in two sections, with projects and tags.
//! `LAPA_BENCH_SITE=DIR` times a real site's folder instead (it is only read).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use divan::Bencher;
use lapa::build::BuildOptions;
use lapa::build::SiteFiles;
use lapa::config::Config;
use lapa::images::Photos;
use lapa::markdown::LinkResolver;
use lapa::output::Writer;
use lapa::site::Site;
use lapa::theme::Theme;
use rayon::prelude::*;
use tempfile::TempDir;

fn main() {
    divan::main();
}

/// Everything the stages start from, made once.
struct Fixture {
    /// Holds the made-up site and the outputs; removed at the end.
    temp: TempDir,
    root: PathBuf,
    options: BuildOptions,
    config: Config,
    site: Site,
    theme: Theme,
    rendered: SiteFiles,
    /// One report's Markdown, as a teacher writes it.
    report: String,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let root = match std::env::var_os("LAPA_BENCH_SITE") {
        Some(dir) => PathBuf::from(dir),
        None => {
            let reports = std::env::var("LAPA_BENCH_REPORTS")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(1_000);
            let root = temp.path().join("site");
            make_site(&root, reports);
            root
        }
    };
    let mut options = BuildOptions::new(&root);
    options.photo_cache = temp.path().join("photo-cache");
    let rendering = lapa::build::render(&options).unwrap_or_else(|d| panic!("{d:?}"));
    Fixture {
        root,
        options,
        config: rendering.site.config.clone(),
        site: rendering.site,
        theme: rendering.theme,
        rendered: rendering.rendered,
        report: report_body(&mut Words::new(7), 7),
        temp,
    }
});

/// Walk `content/`, read and parse every file.
#[divan::bench(sample_count = 20)]
fn load_content(bencher: Bencher) {
    let f = &*FIXTURE;
    bencher.bench(|| lapa::content::load(&f.config));
}

/// One typical report's Markdown to HTML.
#[divan::bench]
fn markdown_report(bencher: Bencher) {
    let f = &*FIXTURE;
    bencher.bench(|| lapa::markdown::render(&f.report, "news/report.md", "lv", &Resolver));
}

/// Loaded content to the resolved `Site` (URLs, links, every body's Markdown), as `lapa
/// build` resolves it: no body kept and no link lookup recorded for a next build.
#[divan::bench(sample_count = 20)]
fn resolve(bencher: Bencher) {
    let f = &*FIXTURE;
    let options = lapa::site::Publish {
        drafts: f.options.drafts,
        now: f.options.now,
        external_links: true,
    };
    bencher
        .with_inputs(|| lapa::content::load(&f.config).0)
        .bench_values(|content| lapa::site::resolve(f.config.clone(), content, &options));
}

/// Every page, feed and list, and the search index beside them.
#[divan::bench(sample_count = 10)]
fn render(bencher: Bencher) {
    let f = &*FIXTURE;
    let photos = Photos::default();
    bencher.bench(|| lapa::build::make(&f.site, &f.theme, &photos));
}

/// The search index alone.
#[divan::bench(sample_count = 20)]
fn search_index(bencher: Bencher) {
    let f = &*FIXTURE;
    bencher.bench(|| lapa::search::index_files(&f.site, &f.theme));
}

/// Writing the rendered site over its previous output, as a rebuild does (every file
/// put from the threads, as rendering hands them over).
#[divan::bench(sample_count = 10)]
fn write(bencher: Bencher) {
    let f = &*FIXTURE;
    let output = f.temp.path().join("public");
    let write = || {
        let writer = Writer::begin(&f.root, &output).expect("an output folder");
        f.rendered
            .files
            .par_iter()
            .try_for_each(|file| writer.put(file))
            .expect("written");
        writer.finish().expect("swapped in")
    };
    // The first build and the one after it make the output and the kept previous one.
    write();
    write();
    bencher.bench(write);
}

/// Links as a site at a domain's root resolves them.
struct Resolver;

impl LinkResolver for Resolver {
    fn page_url(&self, rel: &str, _lang: &str) -> Option<String> {
        Some(format!("/{}/", rel.trim_end_matches(".md")))
    }
    fn asset_url(&self, rel: &str) -> String {
        format!("/{rel}")
    }
    fn base_path(&self) -> &str {
        "/"
    }
}

const WORDS: &[&str] = &[
    "ābols",
    "ārsts",
    "ēdiens",
    "ēka",
    "īpašums",
    "ūdens",
    "čūska",
    "čemodāns",
    "ģimene",
    "ģitāra",
    "ģeogrāfija",
    "ķirbis",
    "ķēde",
    "ļaudis",
    "ļoti",
    "ņemt",
    "šalle",
    "šķūnis",
    "šodien",
    "žagata",
    "žūrija",
    "žurnāls",
    "zāle",
    "māja",
    "mežs",
    "jūra",
    "krasts",
    "vējš",
    "saule",
    "upe",
    "ezers",
    "pļava",
    "ceļš",
    "tilts",
    "pilsēta",
    "skola",
    "grāmata",
    "vēstule",
    "dziesma",
    "valoda",
    "vārds",
    "doma",
    "atmiņa",
    "nākotne",
    "darbs",
    "svētki",
    "ziema",
    "pavasaris",
    "vasara",
    "rudens",
    "rīts",
    "vakars",
    "diena",
    "gads",
    "cilvēks",
    "bērns",
    "draugs",
    "skolotājs",
    "skolotāji",
    "mentorings",
    "kolēģi",
    "pieredze",
    "mobilitāte",
    "kursi",
    "mācības",
    "metodika",
    "liels",
    "jauns",
    "gudrs",
    "ātrs",
    "zaļš",
    "zils",
    "iet",
    "lasīt",
    "rakstīt",
    "strādāt",
    "domāt",
    "runāt",
    "atrast",
    "meklēt",
    "būvēt",
    "un",
    "bet",
    "vai",
    "jo",
    "ka",
    "kad",
    "kur",
    "ar",
    "bez",
    "pie",
    "uz",
    "no",
    "par",
    "pēc",
    "arī",
    "tikai",
    "vēl",
    "jau",
    "tagad",
];

const TAGS: &[&str] = &[
    "mentorings",
    "koučings",
    "digitālie rīki",
    "ceļojumi",
    "daba",
    "vēsture",
    "mūzika",
    "grāmatas",
    "sports",
    "zinātne",
    "māksla",
    "ģimene",
    "pilsēta",
    "ķīmija",
    "šahs",
];

const PROJECTS: &[(&str, &str)] = &[
    ("abele", "Ābele"),
    ("berzs", "Bērzs"),
    ("ciekurs", "Čiekurs"),
    ("dzerve", "Dzērve"),
    ("kivite", "Ķīvīte"),
];

/// A small, fixed sequence of choices (the same site on every run, with no dependency).
struct Words(u64);

impl Words {
    fn new(seed: u64) -> Words {
        Words(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    fn below(&mut self, n: usize) -> usize {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
    }

    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }

    /// `min` words and up to `more` more, the first capitalised.
    fn phrase(&mut self, min: usize, more: usize) -> String {
        let n = min + self.below(more);
        let words: Vec<&str> = (0..n).map(|_| self.word()).collect();
        let text = words.join(" ");
        let mut chars = text.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }

    fn paragraph(&mut self, reports: usize) -> String {
        let mut p = String::new();
        for _ in 0..3 + self.below(4) {
            let sentence = self.phrase(6, 10);
            let extra = match self.below(10) {
                0 => format!(" **{}**", self.word()),
                1 => format!(" *{}*", self.word()),
                2 => format!(" [{0}](https://piemērs.lv/{0})", self.word()),
                3 => format!(" ([skatīt arī](/news/report-{:05}/))", self.below(reports)),
                4 => format!(" `{}_{}`", self.word(), self.below(100)),
                _ => String::new(),
            };
            let _ = write!(p, "{sentence}{extra}. ");
        }
        p.trim_end().to_string()
    }
}

/// A report's body: 400 to 1,500 words in sections, with a list and a table.
fn report_body(w: &mut Words, reports: usize) -> String {
    let target = 400 + w.below(1_100);
    let mut body = format!("{}\n\n<!--more-->\n\n", w.paragraph(reports));
    let mut words = 0;
    while words < target {
        let _ = write!(body, "## {}\n\n", w.phrase(2, 4));
        for _ in 0..1 + w.below(3) {
            let p = w.paragraph(reports);
            words += p.split_whitespace().count();
            let _ = write!(body, "{p}\n\n");
        }
        if w.below(3) == 0 {
            for _ in 0..3 + w.below(4) {
                let _ = writeln!(body, "- {}", w.phrase(3, 6));
            }
            body.push('\n');
        }
    }
    body.push_str("| Vārds | Skaits | Vieta |\n|---|---|---|\n");
    for _ in 0..3 + w.below(5) {
        let _ = writeln!(body, "| {} | {} | {} |", w.word(), w.below(9_999), w.word());
    }
    body
}

/// A site of `reports` reports (a tenth of them in a second section) and five projects.
fn make_site(root: &Path, reports: usize) {
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("a folder");
        std::fs::write(&path, text).expect("written");
    };
    write(
        "site.yaml",
        "title: Salīdzinājuma skola\nbase_url: https://skola.example.lv/\nlanguages: [lv]\n",
    );
    for (k, (id, name)) in PROJECTS.iter().enumerate() {
        write(
            &format!("content/projects/{id}.md"),
            &format!(
                "---\ntitle: \"Projekts {name}\"\ncode: 2023-1-LV01-KA121-SCH-000{:06}\n\
                 programme: erasmus-plus\nbeneficiary: Salīdzinājuma skola\n\
                 agency: Valsts izglītības attīstības aģentūra\n\
                 start: 2023-0{}-01\nend: 2025-08-31\n---\n\nProjekta {name} mērķi un rezultāti.\n",
                138_700 + k,
                1 + k,
            ),
        );
    }
    let mut w = Words::new(2026);
    for i in 0..reports {
        let section = if i % 10 == 0 { "pieredze" } else { "news" };
        let first_tag = w.below(TAGS.len());
        let tags: Vec<&str> = (0..2 + w.below(2))
            .map(|k| TAGS[(first_tag + 5 * k) % TAGS.len()])
            .collect();
        let (project, _) = PROJECTS[w.below(PROJECTS.len())];
        let front = format!(
            "---\ntitle: \"{}\"\ndate: {}-{:02}-{:02}\ntags: [{}]\nproject: {project}\n---\n\n",
            w.phrase(3, 5),
            2015 + i % 10,
            1 + i % 12,
            1 + i % 28,
            tags.join(", "),
        );
        write(
            &format!("content/{section}/report-{i:05}.md"),
            &(front + &report_body(&mut w, reports)),
        );
    }
}
