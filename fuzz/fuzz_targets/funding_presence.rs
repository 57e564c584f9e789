//! Random HTML around a real funding block (wrappers, comments, raw-text elements,
//! attributes, `hidden`, styles, stray tags), read by lapa and by html5ever's full tree
//! builder. Whatever lapa counts as shown, the browser's tree must show: the block
//! element, no ancestor that hides it, and the emblem, statement and disclaimer in it.
//! Clean markup with nothing hiding must be counted as shown, and a page lapa added its
//! block to must show one unless lapa says it cannot. On every page lapa's fast path
//! reads, its answer must be the one lapa gives on html5ever's tree (the fast path's
//! subset is where the naive stack of open elements is the browser's tree), and jumping
//! over the block where the fast path may (`presence_with_known`) must not change it.
#![no_main]

use std::rc::Rc;

use html5ever::tendril::TendrilSink;
use libfuzzer_sys::fuzz_target;
use markup5ever_rcdom::{Handle, NodeData, RcDom};

const CODE: &str = "A-1";
const STATEMENT: &str = "Līdzfinansē Eiropas Savienība";
const DISCLAIMER: &str = "Atruna & teksts.";
const BLOCK: &str = "<section data-eu-funding=\"A-1\"><svg viewBox=\"0 0 3 2\"><rect width=\"3\" height=\"2\"/></svg><p>Līdzfinansē Eiropas Savienība</p><p>Atruna &amp; teksts.</p></section>";

/// (open, close, hides): what the generator wraps the block in.
const WRAPPERS: &[(&str, &str, bool)] = &[
    ("<div>", "</div>", false),
    ("<section class=x>", "</section>", false),
    ("<span>", "</span>", false),
    ("<b>", "</b>", false),
    ("<article><p>x</p>", "</article>", false),
    ("<details open><summary>s</summary>", "</details>", false),
    ("<div style=\"display:block\">", "</div>", false),
    ("<dialog open>", "</dialog>", false),
    ("<ul><li>", "</li></ul>", false),
    ("<table><tr><td>", "</td></tr></table>", false),
    ("<table><tbody><tr><td>", "</td></tr></tbody></table>", false),
    ("<table><thead><tr><th>", "</th></tr></thead></table>", false),
    ("<ol><li>", "</li></ol>", false),
    ("<dl><dd>", "</dd></dl>", false),
    ("<a href=#>", "</a>", false),
    ("<em>", "</em>", false),
    ("<blockquote>", "</blockquote>", false),
    ("<figure>", "</figure>", false),
    ("<form>", "</form>", false),
    ("<h2>", "</h2>", false),
    ("<p>", "</p>", false),
    ("<button>", "</button>", false),
    ("<pre>\n", "</pre>", false),
    ("<!--", "-->", true),
    ("<template>", "</template>", true),
    ("<textarea>", "</textarea>", true),
    ("<noscript>", "</noscript>", true),
    ("<script>", "</script>", true),
    ("<style>", "</style>", true),
    ("<title>", "</title>", true),
    ("<xmp>", "</xmp>", true),
    ("<iframe>", "</iframe>", true),
    ("<noembed>", "</noembed>", true),
    ("<noframes>", "</noframes>", true),
    ("<div hidden>", "</div>", true),
    ("<div style=\"display: none\">", "</div>", true),
    ("<div style=\"visibility:hidden\">", "</div>", true),
    ("<div inert>", "</div>", true),
    ("<div aria-hidden=\"true\">", "</div>", true),
    ("<details>", "</details>", true),
    ("<dialog>", "</dialog>", true),
    ("<b hidden>", "</b>", true),
    ("<select>", "</select>", true),
    ("<svg>", "</svg>", true),
    ("<math>", "</math>", true),
    ("<video>", "</video>", true),
    ("<p title='", "'>x</p>", true),
    ("<p title=\"", "\">x</p>", true),
];

/// Stray markup the generator sprinkles anywhere.
const NOISE: &[&str] = &[
    "<p>", "</p>", "<div>", "</div>", "<b>", "</b>", "<b hidden>", "<i style=display:none>",
    "</i>", "<br>", "</br>", "<li>", "<table>", "</table>", "<tr>", "<td>", "<!--", "-->",
    "<!-->", "<script>", "</script>", "<template>", "</template>", "<svg>", "</svg>", "<math>",
    "<plaintext>", "<a href=#>", "</a>", "<body hidden>", "<html>", "</body>", "</html>",
    "<head>", "</head>", "<frameset>", "<select>", "<option>", "<textarea>", "</textarea>",
    "<noscript>", "</noscript>", "<![CDATA[", "]]>", "<foreignObject>", "</foreignObject>",
    "<main hidden>", "</main>", "<div hidden>", "<span>", "</span>", "text", " & ", "<",
    "'", "\"", ">", "<!doctype html>", "<title>", "</title>", "<style>", "</style>", "<em>",
    "</em>", "<nobr>", "<p inert>", "<details>", "<details open>", "</details>",
    "<tbody>", "</tbody>", "<thead>", "</td>", "</tr>", "<th>", "<ol>", "</ol>", "</li>",
    "<dl>", "<dd>", "<dt>", "</dl>", "<h2>", "</h2>", "<button>", "</button>", "<pre>",
    "</pre>", "<g>", "</g>", "<rect/>", "<title>x</title>", "<desc>", "<section>",
    "</section>", "<img src=x>", "<input>", "<hr>", "<a>", "<em hidden>", "</body></html>",
    "<!doctype html>", " ", "\n", "<main>", "<ul>", "</ul>",
    "<template shadowrootmode=open>", "<h1>", "</h1>", "<form>", "</form>", "<object>",
];

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn next(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }
}

fuzz_target!(|data: &[u8]| {
    let mut bytes = Bytes(data);
    let mut open = String::new();
    let mut close = Vec::new();
    let mut clean = true;
    let mut hides = false;
    let noise = |b: &mut Bytes, out: &mut String, clean: &mut bool| {
        while let Some(n) = b.next() {
            if n < 128 {
                break;
            }
            out.push_str(NOISE[usize::from(n) % NOISE.len()]);
            *clean = false;
        }
    };
    let depth = bytes.next().unwrap_or(0) % 5;
    for _ in 0..depth {
        let Some(w) = bytes.next() else { break };
        let (o, c, h) = WRAPPERS[usize::from(w) % WRAPPERS.len()];
        hides |= h;
        noise(&mut bytes, &mut open, &mut clean);
        open.push_str(o);
        close.push(c);
    }
    noise(&mut bytes, &mut open, &mut clean);
    let mut tail = String::new();
    for c in close.iter().rev() {
        tail.push_str(c);
        noise(&mut bytes, &mut tail, &mut clean);
    }
    let html = format!(
        "<!doctype html><html><head><title>t</title></head><body><main><h1>x</h1>{open}{BLOCK}{tail}<p>y</p></main><footer>f</footer></body></html>"
    );
    let required = [lapa::funding::Required {
        code: CODE,
        statement: STATEMENT,
        disclaimer: Some(DISCLAIMER),
    }];
    let found = lapa::funding::presence(html.as_bytes(), &required);
    // The fast path, where it reads a page, reads the browser's tree.
    if let Some(fast) = lapa::funding::presence_fast(html.as_bytes(), &required) {
        assert_eq!(
            fast,
            found,
            "presence is not the fast path's answer on a page it reads:\n{html}"
        );
        assert_eq!(
            fast.findings,
            lapa::funding::presence_tree(html.as_bytes(), &required).findings,
            "the fast path and the browser's tree disagree:\n{html}"
        );
    }
    // lapa's own block, unread where the fast path may jump over it, changes nothing.
    assert!(lapa::funding::reads_alone(BLOCK.as_bytes(), &required[0]));
    let known = [lapa::funding::KnownBlock {
        html: BLOCK.as_bytes(),
        code: CODE,
    }];
    assert_eq!(
        lapa::funding::presence_with_known(html.as_bytes(), &required, None, &known),
        found,
        "jumping over the known block changes the answer:\n{html}"
    );
    if found.shown(CODE) {
        assert!(browser_shows(&html), "lapa counts a block no reader gets:\n{html}");
    }
    if clean && !hides {
        assert!(found.shown(CODE), "lapa misses a plain visible block:\n{html}");
    }
    // The page lapa writes: its own block added where a reader gets it.
    let block = lapa::funding::PageBlock::of(
        CODE.into(),
        BLOCK.into(),
        STATEMENT.into(),
        Some(DISCLAIMER.into()),
    );
    let out = lapa::funding::ensure_blocks(html.into_bytes(), &[block]);
    let out = String::from_utf8(out).expect("lapa keeps UTF-8");
    if lapa::funding::presence(out.as_bytes(), &required).shown(CODE) {
        assert!(browser_shows(&out), "lapa counts a block no reader gets:\n{out}");
    }
});

/// Whether html5ever's tree has a block for CODE that a reader gets, complete.
fn browser_shows(html: &str) -> bool {
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
    let mut blocks = Vec::new();
    find_blocks(&dom.document, false, &mut blocks);
    blocks.iter().any(|b| {
        let mut text = String::new();
        let mut emblem = false;
        read_block(b, &mut text, &mut emblem);
        let text = collapse(&text);
        emblem && text.contains(STATEMENT) && text.contains(DISCLAIMER)
    })
}

fn attr(node: &Handle, name: &str) -> Option<String> {
    let NodeData::Element { attrs, .. } = &node.data else {
        return None;
    };
    attrs
        .borrow()
        .iter()
        .find(|a| &*a.name.local == name)
        .map(|a| String::from(&*a.value))
}

/// Whether an element keeps its content from readers (the browser's view, written
/// apart from lapa's: anything not plainly shown hides).
fn hides(node: &Handle) -> bool {
    let NodeData::Element { name, .. } = &node.data else {
        return false;
    };
    if name.ns != html5ever::ns!(html) {
        return true;
    }
    let style = attr(node, "style").unwrap_or_default().to_ascii_lowercase();
    attr(node, "hidden").is_some()
        || attr(node, "inert").is_some()
        || attr(node, "aria-hidden").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        || style.contains("none")
        || style.contains("hidden")
        || matches!(
            &*name.local,
            "head" | "title" | "script" | "style" | "textarea" | "noscript" | "template"
                | "select" | "datalist" | "audio" | "video" | "canvas" | "object" | "iframe"
                | "xmp" | "noembed" | "noframes" | "plaintext" | "frameset"
        )
        || (matches!(&*name.local, "details" | "dialog") && attr(node, "open").is_none())
}

fn find_blocks(node: &Handle, hidden: bool, out: &mut Vec<Handle>) {
    let hidden = hidden || hides(node);
    if let NodeData::Element { name, .. } = &node.data
        && name.ns == html5ever::ns!(html)
        && attr(node, "data-eu-funding").as_deref() == Some(CODE)
        && !hidden
    {
        out.push(Rc::clone(node));
    }
    for child in node.children.borrow().iter() {
        find_blocks(child, hidden, out);
    }
}

/// The text a reader gets in the block, and whether a visible SVG emblem is in it.
fn read_block(node: &Handle, text: &mut String, emblem: &mut bool) {
    for child in node.children.borrow().iter() {
        match &child.data {
            NodeData::Text { contents } => text.push_str(&contents.borrow()),
            NodeData::Element { name, .. } => {
                text.push(' ');
                let is_svg = name.ns == html5ever::ns!(svg) && &*name.local == "svg";
                let style = attr(child, "style").unwrap_or_default().to_ascii_lowercase();
                let svg_hidden = attr(child, "hidden").is_some()
                    || style.contains("none")
                    || style.contains("hidden");
                if is_svg && !svg_hidden {
                    *emblem = true;
                }
                if !hides(child) {
                    read_block(child, text, emblem);
                }
                text.push(' ');
            }
            _ => {}
        }
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
