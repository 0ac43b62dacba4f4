// The world map for ECharts: Natural Earth 1:110m countries (npm world-atlas,
// TopoJSON) converted with topojson-client to GeoJSON whose feature names are
// ISO 3166-1 alpha-2 codes, the codes the API uses. Antarctica is dropped.
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import countries110m from "world-atlas/countries-110m.json";
import numericToAlpha2 from "./data/iso-numeric-alpha2.json";

/** Features without an ISO numeric id in Natural Earth, by name. */
const BY_NAME: Record<string, string> = { Kosovo: "XK" };
const ANTARCTICA = "010";

const names = new Map<string, string>();
/** The browser's own English country names (covers countries too small for the map). */
const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });
let cached: unknown = null;

type Ring = number[][];

/**
 * Rings that cross the antimeridian (Russia's Chukotka, Fiji) jump from
 * +180 to -180 and would streak across the map: move their minority side
 * onto the ±180 meridian of the majority side.
 */
function clampRing(ring: Ring): Ring {
  const crosses = ring.some((p, i) => i > 0 && Math.abs((p[0] ?? 0) - (ring[i - 1]?.[0] ?? 0)) > 180);
  if (!crosses) return ring;
  const east = ring.filter((p) => (p[0] ?? 0) > 0).length * 2 >= ring.length;
  return ring.map(([x = 0, y = 0]) => (east && x < 0 ? [180, y] : !east && x > 0 ? [-180, y] : [x, y]));
}

function clampGeometry(g: { type: string; coordinates: unknown } | null): unknown {
  if (!g) return g;
  if (g.type === "Polygon") return { ...g, coordinates: (g.coordinates as Ring[]).map(clampRing) };
  if (g.type === "MultiPolygon")
    return { ...g, coordinates: (g.coordinates as Ring[][]).map((poly) => poly.map(clampRing)) };
  return g;
}

/** GeoJSON FeatureCollection with `properties.name` = alpha-2 code (built once). */
export function worldGeoJson(): unknown {
  if (cached) return cached;
  const topo = countries110m as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const collection = feature(topo, topo.objects.countries);
  const codes = numericToAlpha2 as Record<string, string>;
  const features = [];
  for (const f of collection.features) {
    const id = typeof f.id === "string" ? f.id : undefined;
    if (id === ANTARCTICA) continue;
    const full = f.properties?.name ?? "";
    const code = (id && codes[id]) || BY_NAME[full] || full;
    names.set(code, full);
    features.push({
      type: "Feature",
      id: f.id,
      geometry: clampGeometry(f.geometry as { type: string; coordinates: unknown }),
      properties: { name: code },
    });
  }
  cached = { type: "FeatureCollection", features };
  return cached;
}

/** The country's name for an alpha-2 code (the code itself if unknown). */
export function countryName(code: string): string {
  try {
    const name = regionNames.of(code);
    if (name && name !== code) return name;
  } catch {
    // not a valid region code: fall back to the map's name
  }
  worldGeoJson();
  return names.get(code) ?? code;
}
