//! A small real site in a temporary folder, and the real `lapa` binary run on it.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

pub const SITE_YAML: &str =
    "title: Testa skola\nbase_url: https://skola.example.lv/\nlanguages: [lv, en]\npaginate: 2\n";

pub const PROJECT: &str = "---\ntitle: \"Kompetents skolotājs – skolas attīstības pamats III\"\ntitle_en: \"Competent teacher – the foundation for school development III\"\ncode: 2023-1-LV01-KA121-SCH-000138745\nprogramme: erasmus-plus\nbeneficiary: Testa skola\nagency: Valsts izglītības attīstības aģentūra\nstart: 2023-06-01\nend: 2025-05-31\n---\nProjekta mērķi un rezultāti.\n";

pub const ESF_PROJECT: &str = "---\ntitle: \"Pedagogu profesionālā atbalsta sistēmas izveide\"\ntitle_en: \"Development of a professional support system for teachers\"\ncode: 4.2.2.3/1/24/I/001\nprogramme: esf-plus\nagency: Valsts izglītības attīstības aģentūra\nstart: 2024-01-01\nend: 2029-12-31\n---\nMērķi un rezultāti.\n";

/// A site folder that is deleted when the test ends.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// An empty site with the default site.yaml.
    pub fn new() -> TestSite {
        let site = TestSite {
            dir: tempfile::tempdir().expect("a temp dir"),
        };
        site.write("site.yaml", SITE_YAML);
        std::fs::create_dir_all(site.path().join("content")).expect("content/");
        site
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Write `text` at `rel` (relative to the site's folder), creating folders.
    pub fn write(&self, rel: &str, text: &str) -> &TestSite {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &TestSite {
        let path = self.path().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("folders");
        }
        std::fs::write(&path, bytes).expect("write");
        self
    }

    /// A report with a title, a date and more front matter lines.
    pub fn report(&self, rel: &str, title: &str, date: &str, extra: &str, body: &str) -> &TestSite {
        self.write(
            &format!("content/{rel}"),
            &format!("---\ntitle: \"{title}\"\ndate: {date}\n{extra}---\n{body}\n"),
        )
    }

    /// Run `lapa ARGS --root SITE`.
    pub fn lapa(&self, args: &[&str]) -> Output {
        Command::cargo_bin("lapa")
            .expect("the lapa binary")
            .env("LAPA_LANG", "en")
            .args(args)
            .arg("--root")
            .arg(self.path())
            .output()
            .expect("lapa runs")
    }

    /// Run `lapa ARGS --root SITE` with `LAPA_LANG` set to `lang`, or unset (`None`) so
    /// that the site and the system decide the language of lapa's messages.
    pub fn lapa_in(&self, lang: Option<&str>, args: &[&str]) -> Output {
        let mut command = Command::cargo_bin("lapa").expect("the lapa binary");
        match lang {
            Some(lang) => command.env("LAPA_LANG", lang),
            None => command.env_remove("LAPA_LANG"),
        };
        command
            .args(args)
            .arg("--root")
            .arg(self.path())
            .output()
            .expect("lapa runs")
    }

    /// `lapa build`, which must succeed.
    pub fn build(&self, args: &[&str]) -> Output {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let out = self.lapa(&all);
        assert!(
            out.status.success(),
            "lapa build failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    pub fn public(&self) -> PathBuf {
        self.path().join("public")
    }

    /// A built file's text.
    pub fn read(&self, rel: &str) -> String {
        let path = self.public().join(rel);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{} is missing: {e}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).exists()
    }
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file under `dir` with its bytes, for "unchanged" comparisons.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let bytes = std::fs::read(e.path()).expect("read");
            (
                e.path().strip_prefix(dir).expect("inside").to_path_buf(),
                bytes,
            )
        })
        .collect();
    files.sort();
    files
}
