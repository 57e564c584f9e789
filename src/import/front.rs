//! Front matter written as YAML text, every value quoted so that a title with `:`, `#`,
//! quotes or Latvian letters reads back exactly.

/// One report's or page's front matter, in the order a teacher reads it.
#[derive(Debug, Default, Clone)]
pub struct Front {
    pub title: String,
    pub date: Option<String>,
    pub authors: Vec<String>,
    pub projects: Vec<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub cover: Option<(String, String)>,
    pub aliases: Vec<String>,
    pub draft: bool,
}

/// A YAML double-quoted scalar.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", quoted.join(", "))
}

impl Front {
    /// The `---` block, ending with its closing line.
    pub fn to_yaml(&self) -> String {
        let mut y = String::from("---\n");
        y.push_str(&format!("title: {}\n", quote(&self.title)));
        if let Some(d) = &self.date {
            y.push_str(&format!("date: {}\n", quote(d)));
        }
        if !self.authors.is_empty() {
            y.push_str(&format!("authors: {}\n", list(&self.authors)));
        }
        match self.projects.as_slice() {
            [] => {}
            [one] => y.push_str(&format!("project: {}\n", quote(one))),
            many => y.push_str(&format!("project: {}\n", list(many))),
        }
        if !self.tags.is_empty() {
            y.push_str(&format!("tags: {}\n", list(&self.tags)));
        }
        if let Some(s) = &self.summary {
            y.push_str(&format!("summary: {}\n", quote(s)));
        }
        if let Some((src, alt)) = &self.cover {
            y.push_str(&format!(
                "cover: {{ src: {}, alt: {} }}\n",
                quote(src),
                quote(alt)
            ));
        }
        if !self.aliases.is_empty() {
            y.push_str(&format!("aliases: {}\n", list(&self.aliases)));
        }
        if self.draft {
            y.push_str("draft: true\n");
        }
        y.push_str("---\n");
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::frontmatter;
    use std::path::Path;

    #[test]
    fn tricky_values_read_back_exactly() {
        let front = Front {
            title: "Mācības: „Kā #1?” – 'ļoti' \"labi\" \\ ķēde".into(),
            date: Some("2024-03-28T10:15:00Z".into()),
            authors: vec!["Ināra Jasvina".into(), "O'Brien: J.".into()],
            projects: vec!["kompetents-iii".into()],
            tags: vec!["ēdināšana".into(), "- ne saraksts".into(), "yes".into()],
            summary: Some("Pirmā rinda\notrā: [x] {y} & *z*".into()),
            cover: Some(("foto.jpg".into(), "Bērni, skolotāji: #1".into())),
            aliases: Vec::new(),
            draft: true,
        };
        let text = format!("{}Teksts\n", front.to_yaml());
        let path = Path::new("x.md");
        let split = frontmatter::split(&text, path).expect("split");
        let page = frontmatter::parse_page(&split, path).expect("parses");
        assert_eq!(page.title.as_deref(), Some(front.title.as_str()));
        assert_eq!(page.date.as_deref(), Some("2024-03-28T10:15:00Z"));
        assert_eq!(page.authors.into_vec(), front.authors);
        assert_eq!(page.project.into_vec(), front.projects);
        assert_eq!(page.tags, Some(front.tags.clone()));
        assert_eq!(page.summary, front.summary);
        let cover = page.cover.expect("cover");
        assert_eq!(cover.src, "foto.jpg");
        assert_eq!(cover.alt.as_deref(), Some("Bērni, skolotāji: #1"));
        assert!(page.draft);
        assert_eq!(split.body, "Teksts\n");
    }
}
