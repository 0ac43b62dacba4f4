#!/usr/bin/env node
// Builds data/render/world-110m.tsv, the country shapes of leakscope's HTML
// report map, from Natural Earth 1:110m countries as packaged in the npm
// package world-atlas 2.0.2 (ISC), with ISO 3166-1 numeric -> alpha-2 codes
// from i18n-iso-countries 7.14.0 (MIT).
//
// Usage: node scripts/build-world-map.mjs [WORK_DIR]
// It runs `npm pack` for both packages into WORK_DIR (default: a temporary
// directory), decodes the TopoJSON itself (no other dependency), projects
// with a plain equirectangular projection onto a 1000-unit wide plane
// (longitude -180..180 -> x 0..1000, latitude 84..-58 -> y 0..~394,
// Antarctica dropped), rounds to integers, drops repeated points, and writes
// one line per country: `alpha2 <TAB> name <TAB> svg path d` (relative
// commands). Run it from the repository root.

import { execSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const WORLD_ATLAS = "world-atlas@2.0.2";
const ISO_CODES = "i18n-iso-countries@7.14.0";
const OUT = "data/render/world-110m.tsv";
const WIDTH = 1000;
const LAT_TOP = 84;
const LAT_BOTTOM = -58;
const K = WIDTH / 360;

const work = process.argv[2] ?? mkdtempSync(join(tmpdir(), "world-map-"));
mkdirSync(work, { recursive: true });

function unpack(spec) {
  const file = execSync(`npm pack --silent ${spec}`, { cwd: work }).toString().trim().split("\n").pop();
  const dir = join(work, file.replace(/\.tgz$/, ""));
  mkdirSync(dir, { recursive: true });
  execSync(`tar xzf ${file} -C ${dir}`, { cwd: work });
  return join(dir, "package");
}

const atlasDir = unpack(WORLD_ATLAS);
const isoDir = unpack(ISO_CODES);
const topo = JSON.parse(readFileSync(join(atlasDir, "countries-110m.json"), "utf8"));
const codes = JSON.parse(readFileSync(join(isoDir, "codes.json"), "utf8"));
const numericToAlpha2 = new Map(codes.map(([a2, , num]) => [num, a2]));
// Features without a numeric ISO code in Natural Earth.
const byName = new Map([["Kosovo", "XK"]]);

// Decode the quantized, delta-encoded arcs.
const [sx, sy] = topo.transform.scale;
const [tx, ty] = topo.transform.translate;
const arcs = topo.arcs.map((arc) => {
  let x = 0;
  let y = 0;
  return arc.map(([dx, dy]) => {
    x += dx;
    y += dy;
    return [x * sx + tx, y * sy + ty];
  });
});

function arcPoints(i) {
  return i >= 0 ? arcs[i] : arcs[~i].slice().reverse();
}

function ring(indices) {
  const pts = [];
  for (const i of indices) {
    const a = arcPoints(i);
    pts.push(...(pts.length ? a.slice(1) : a));
  }
  return pts;
}

// Rings that cross the antimeridian (Russia, Fiji) jump by ~360 degrees of
// longitude: unwrap them into one continuous ring, and draw it twice, once
// shifted by 360 degrees, so that the map's edge clips each copy.
function unwrapped(points) {
  let offset = 0;
  let crosses = false;
  const out = points.map(([lon, lat], i) => {
    if (i > 0) {
      const prev = points[i - 1][0];
      if (lon - prev > 180) { offset -= 360; crosses = true; }
      else if (prev - lon > 180) { offset += 360; crosses = true; }
    }
    return [lon + offset, lat];
  });
  if (!crosses) return [points];
  const min = Math.min(...out.map((p) => p[0]));
  const shift = min < -180 ? 360 : -360;
  return [out, out.map(([lon, lat]) => [lon + shift, lat])];
}

function project([lon, lat]) {
  const clamped = Math.max(LAT_BOTTOM, Math.min(LAT_TOP, lat));
  return [Math.round((lon + 180) * K), Math.round((LAT_TOP - clamped) * K)];
}

function ringPath(points) {
  const projected = [];
  for (const p of points.map(project)) {
    const last = projected[projected.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) projected.push(p);
  }
  if (projected.length > 1) {
    const [f, l] = [projected[0], projected[projected.length - 1]];
    if (f[0] === l[0] && f[1] === l[1]) projected.pop();
  }
  if (projected.length < 3) return "";
  let d = `M${projected[0][0]} ${projected[0][1]}`;
  let prev = projected[0];
  let first = true;
  for (const p of projected.slice(1)) {
    const dx = p[0] - prev[0];
    const dy = p[1] - prev[1];
    const sep = dy < 0 ? "" : " ";
    d += first ? `l${dx}${sep}${dy}` : `${dx < 0 ? "" : " "}${dx}${sep}${dy}`;
    first = false;
    prev = p;
  }
  return d + "z";
}

const lines = [];
for (const g of topo.objects.countries.geometries) {
  const name = g.properties?.name ?? "";
  const code = numericToAlpha2.get(g.id) ?? byName.get(name);
  if (!code || code === "AQ") continue;
  const polygons = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
  const d = polygons
    .flatMap((poly) => poly.flatMap((r) => unwrapped(ring(r)).map(ringPath)))
    .filter((s) => s.length > 0)
    .join("");
  if (d) lines.push(`${code}\t${name.replace(/[\t\n]/g, " ")}\t${d}`);
}
lines.sort();
const header = `# Natural Earth 1:110m countries (public domain) via world-atlas 2.0.2 (ISC); built by scripts/build-world-map.mjs\n# alpha2\tname\tsvg path (viewBox 0 0 ${WIDTH} ${Math.round((LAT_TOP - LAT_BOTTOM) * K)})\n`;
writeFileSync(OUT, header + lines.join("\n") + "\n");
console.log(`${OUT}: ${lines.length} countries`);
