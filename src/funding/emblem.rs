//! The EU emblem, drawn from its official geometry rather than copied as a file.

use std::f64::consts::PI;
use std::fmt::Write;

use crate::escape::html as escape_html;

/// The flag's height in SVG units; every other measure follows from it.
const HEIGHT: f64 = 540.0;
const WIDTH: f64 = HEIGHT * 1.5;
/// The stars' centres lie on a circle of a third of the height.
const RING: f64 = HEIGHT / 3.0;
/// Each star's points lie on a circle of an eighteenth of the height.
const STAR: f64 = HEIGHT / 18.0;
/// A regular pentagram's inner radius over its outer radius.
const INNER: f64 = 0.381966;
const BLUE: &str = "#003399";
const YELLOW: &str = "#FFCC00";

/// The EU emblem as inline SVG, with `label` as its text alternative.
pub fn emblem_svg(label: &str) -> String {
    let label = escape_html(label);
    let mut svg = format!(
        "<svg class=\"eu-emblem\" xmlns=\"http://www.w3.org/2000/svg\" \
         viewBox=\"0 0 {w} {h}\" width=\"{sw}\" height=\"{sh}\" role=\"img\" \
         aria-label=\"{label}\" focusable=\"false\"><title>{label}</title>\
         <rect width=\"{w}\" height=\"{h}\" fill=\"{BLUE}\"/><g fill=\"{YELLOW}\">",
        w = WIDTH,
        h = HEIGHT,
        sw = WIDTH / 10.0,
        sh = HEIGHT / 10.0,
    );
    svg.push_str(&STARS);
    svg.push_str("</g></svg>");
    svg
}

/// The twelve stars' polygons, computed once: every funded page carries them.
static STARS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let mut svg = String::new();
    let (cx, cy) = (WIDTH / 2.0, HEIGHT / 2.0);
    // One star at each clock hour, starting at twelve.
    for hour in 0..12 {
        let a = f64::from(hour) * PI / 6.0;
        star(&mut svg, cx + RING * a.sin(), cy - RING * a.cos());
    }
    svg
});

/// A five-pointed star with one point straight up, as a 10-point polygon.
fn star(svg: &mut String, x: f64, y: f64) {
    svg.push_str("<polygon points=\"");
    for i in 0..10 {
        let r = if i % 2 == 0 { STAR } else { STAR * INNER };
        let a = f64::from(i) * PI / 5.0;
        if i > 0 {
            svg.push(' ');
        }
        // Writing to a String cannot fail.
        let _ = write!(svg, "{},{}", coord(x + r * a.sin()), coord(y - r * a.cos()));
    }
    svg.push_str("\"/>");
}

/// A coordinate rounded to 3 decimals, without trailing zeros.
fn coord(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of `name="…"` in `tag`.
    fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let len = tag[start..].find('"')?;
        Some(&tag[start..start + len])
    }

    fn stars(svg: &str) -> Vec<Vec<(f64, f64)>> {
        svg.split("<polygon")
            .skip(1)
            .map(|tag| {
                let points = attr(tag, "points").expect("polygon without points");
                points
                    .split(' ')
                    .map(|p| {
                        let (x, y) = p.split_once(',').expect("point is x,y");
                        (x.parse().expect("x"), y.parse().expect("y"))
                    })
                    .collect()
            })
            .collect()
    }

    fn dist((ax, ay): (f64, f64), (bx, by): (f64, f64)) -> f64 {
        (ax - bx).hypot(ay - by)
    }

    fn mean(points: &[(f64, f64)]) -> (f64, f64) {
        let n = points.len() as f64;
        let (sx, sy) = points
            .iter()
            .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
        (sx / n, sy / n)
    }

    #[test]
    fn emblem_has_the_official_geometry() {
        let svg = emblem_svg("Flag of the European Union");
        let view: Vec<f64> = attr(&svg, "viewBox")
            .expect("viewBox")
            .split(' ')
            .map(|v| v.parse().expect("number"))
            .collect();
        assert_eq!(view[2] / view[3], 1.5, "3:2 rectangle");
        let (w, h) = (view[2], view[3]);
        assert!(svg.contains("fill=\"#003399\"") && svg.contains("fill=\"#FFCC00\""));

        let stars = stars(&svg);
        assert_eq!(stars.len(), 12);
        let flag_centre = (w / 2.0, h / 2.0);
        for points in &stars {
            assert_eq!(points.len(), 10);
            // The outer points are the five farthest from the star's middle.
            let rough = mean(points);
            let mut by_distance = points.clone();
            by_distance.sort_by(|a, b| dist(*b, rough).total_cmp(&dist(*a, rough)));
            let outer = &by_distance[..5];
            let centre = mean(outer);
            assert!(
                (dist(centre, flag_centre) - h / 3.0).abs() < 0.01,
                "{centre:?}"
            );
            // At a clock hour: a whole number of 30° steps round the ring.
            let angle = (centre.0 - flag_centre.0)
                .atan2(flag_centre.1 - centre.1)
                .to_degrees();
            assert!(
                ((angle / 30.0).round() * 30.0 - angle).abs() < 0.01,
                "{angle}"
            );
            for p in outer {
                assert!(
                    (dist(*p, centre) - h / 18.0).abs() < 0.01,
                    "{p:?} of {centre:?}"
                );
            }
            assert!(
                outer
                    .iter()
                    .any(|p| (p.0 - centre.0).abs() < 0.01 && p.1 < centre.1),
                "no point straight up in star at {centre:?}"
            );
        }
    }

    #[test]
    fn emblem_is_labelled() {
        let svg = emblem_svg("Eiropas Savienības karogs <x>");
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("aria-label=\"Eiropas Savienības karogs &lt;x&gt;\""));
        assert!(svg.contains("<title>Eiropas Savienības karogs &lt;x&gt;</title>"));
        assert!(svg.contains("focusable=\"false\""));
    }
}
