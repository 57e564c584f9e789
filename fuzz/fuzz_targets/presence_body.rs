//! Random Markdown rendered by lapa, put into random page markup around (or beside) a
//! funding block. When lapa calls the body plain (`Rendered::plain`), the funding check
//! that jumps over the body (`presence_with_body`) must give exactly the answer of the
//! check that reads the whole page (`presence`), and a plain body alone in a page must
//! lie in the fast path's subset.
#![no_main]

use libfuzzer_sys::fuzz_target;

const CODE: &str = "A-1";
const STATEMENT: &str = "Līdzfinansē Eiropas Savienība";
const DISCLAIMER: &str = "Atruna & teksts.";
const BLOCK: &str = "<section data-eu-funding=\"A-1\"><svg viewBox=\"0 0 3 2\"><rect width=\"3\" height=\"2\"/></svg><p>Līdzfinansē Eiropas Savienība</p><p>Atruna &amp; teksts.</p></section>";

/// Pieces of Markdown the body is made of.
const MARKDOWN: &[&str] = &[
    "# ",
    "## ",
    "### ",
    "\n",
    "\n\n",
    "- ",
    "1. ",
    "> ",
    "* ",
    "**",
    "_",
    "`",
    "```\n",
    "```gallery\nfoto.jpg Alt | Paraksts\n```\n",
    "[saite](cits.md)",
    "[ārā](https://e.lv/)",
    "![attēls](foto.jpg)",
    "![](foto.jpg \"virsraksts\")",
    "[",
    "]",
    "(",
    ")",
    "[^1]",
    "[^1]: piezīme\n",
    "[^2]: otra\n",
    "[^2]",
    "| a | b |\n|---|:-:|\n| c | d |\n",
    "<!--more-->",
    "<!-- more -->",
    "<!--x--!>",
    "<b>",
    "</b>",
    "<div hidden>",
    "</div>",
    "&amp;",
    "&copy;",
    "&",
    "<",
    ">",
    "\"",
    "'",
    "{#id .c}",
    "{#x k=v}",
    "{hidden}",
    " ",
    "teksts",
    "Līdzfinansē",
    "data-eu-funding=\"A-1\"",
    "<https://a.lv>",
    "- [ ] ",
    "- [x] ",
    "---\n",
    "~~",
    "\\",
    "    kods\n",
    "![a](<b c.jpg>)",
    "[l](javascript:x)",
    "\t",
    "\r\n",
    "[a [^1] b](x.md)",
    "[![i](foto.jpg)](x.md)",
    "<p>",
    "</p>",
    "***\n",
    "<template>",
    "<script>x</script>",
    "\0",
    "=",
    "`<a>`",
    "  \n",
    "1) ",
    "+ ",
];

/// (open, close): what the template puts around the body.
const AROUND: &[(&str, &str)] = &[
    ("", ""),
    ("<div class=\"content\">", "</div>"),
    ("<article><div>", "</div></article>"),
    ("<section>", "</section>"),
    ("<div hidden>", "</div>"),
    ("<div style=\"display:none\">", "</div>"),
    ("<p>", "</p>"),
    ("<a href=#>", "</a>"),
    ("<h2>", "</h2>"),
    ("<span>", "</span>"),
    ("<ul><li>", "</li></ul>"),
    ("<table><tbody><tr><td>", "</td></tr></tbody></table>"),
    ("<table>", "</table>"),
    ("<svg>", "</svg>"),
    ("<template>", "</template>"),
    ("<!--", "-->"),
    ("<textarea>", "</textarea>"),
    ("<noscript>", "</noscript>"),
    ("<details>", "</details>"),
    ("<button>", "</button>"),
    ("<form>", "</form>"),
    ("<div data-eu-funding=\"A-1\">", "</div>"),
    ("<p title=\"", "\">x</p>"),
];

/// What goes before and after: the block, stray markup, nothing.
const BESIDE: &[&str] = &[
    "",
    BLOCK,
    "<div class=\"funding\">",
    "</div>",
    "<p>",
    "</p>",
    "<b hidden>",
    "</b>",
    "<!--",
    "-->",
    "<div hidden>",
    "<section data-eu-funding=\"A-1\">",
    "</section>",
    "<svg>",
    "</svg>",
    "<p>Līdzfinansē Eiropas Savienība</p><p>Atruna &amp; teksts.</p>",
    "<table>",
    "<tr>",
    "<a>",
    "</a>",
    "<h1>",
    "</h1>",
    "<main>",
    "</main>",
];

struct Links;

impl lapa::markdown::LinkResolver for Links {
    fn page_url(&self, rel: &str, _lang: &str) -> Option<String> {
        (rel != "posts/nav.md").then(|| format!("/{}/", rel.trim_end_matches(".md")))
    }

    fn asset_url(&self, rel: &str) -> String {
        format!("/{rel}")
    }

    fn base_path(&self) -> &str {
        "/"
    }
}

fuzz_target!(|data: &[u8]| {
    let [a, b, c, rest @ ..] = data else {
        return;
    };
    let mut source = String::new();
    for &b in rest {
        source.push_str(MARKDOWN[usize::from(b) % MARKDOWN.len()]);
    }
    let rendered = lapa::markdown::render(&source, "posts/a.md", "lv", &Links);
    if !rendered.plain {
        return;
    }
    let body = rendered.html.as_str();
    let required = [lapa::funding::Required {
        code: CODE,
        statement: STATEMENT,
        disclaimer: Some(DISCLAIMER),
    }];
    // A plain body alone lies in the fast path's subset (a page with a CR or a NUL is
    // never read on the fast path, body or not).
    if !body.contains(['\r', '\0']) {
        let alone = format!(
            "<!doctype html><html><head><title>t</title></head><body><main><div>{body}</div></main></body></html>"
        );
        assert!(
            lapa::funding::presence_fast(alone.as_bytes(), &required).is_some(),
            "a plain body leaves the fast path:\n{alone}"
        );
    }
    let (open, close) = AROUND[usize::from(*a) % AROUND.len()];
    let before = BESIDE[usize::from(*b) % BESIDE.len()];
    let after = BESIDE[usize::from(*c) % BESIDE.len()];
    let html = format!(
        "<!doctype html><html><head><title>t</title></head><body><main><h1>x</h1>{before}{open}{body}{close}{after}<p>y</p></main><footer>f</footer></body></html>"
    );
    let whole = lapa::funding::presence(html.as_bytes(), &required);
    let skipping =
        lapa::funding::presence_with_body(html.as_bytes(), &required, Some(body.as_bytes()));
    assert_eq!(
        skipping, whole,
        "jumping over the body changes the answer:\n{html}"
    );
    // The fast path, too, reads a page with the body unread where, and as, it reads it
    // whole.
    assert_eq!(
        lapa::funding::presence_fast_with_body(html.as_bytes(), &required, Some(body.as_bytes())),
        lapa::funding::presence_fast(html.as_bytes(), &required),
        "the fast path's answer changes with the body unread:\n{html}"
    );
});
