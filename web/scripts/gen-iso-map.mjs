#!/usr/bin/env node
// Regenerates src/data/iso-numeric-alpha2.json: ISO 3166-1 numeric code
// (as used for the feature ids of world-atlas' Natural Earth TopoJSON) ->
// ISO 3166-1 alpha-2 code (as used by the leakscope API for countries).
//
// Source: npm package i18n-iso-countries 7.14.0 (MIT), file codes.json
// (rows [alpha2, alpha3, numeric, iso-3166-2 id]); a devDependency, so run
// `npm ci` first. Usage, from web/: node scripts/gen-iso-map.mjs
import { readFileSync, writeFileSync } from "node:fs";

const codes = JSON.parse(readFileSync("node_modules/i18n-iso-countries/codes.json", "utf8"));
const map = {};
for (const [alpha2, , numeric] of codes.sort((a, b) => a[2].localeCompare(b[2]))) {
  map[numeric] = alpha2;
}
writeFileSync("src/data/iso-numeric-alpha2.json", JSON.stringify(map, null, 1) + "\n");
console.log(`wrote ${Object.keys(map).length} codes`);
