// Overview: fleet compliance, the most-blocked apps, data leaving the fleet,
// destination countries and top trackers.
import { getJson } from "../api";
import { bars, COLORS, donut, worldMap } from "../charts";
import { h, replace } from "../dom";
import { categoryName, plural } from "../format";
import { countryName } from "../worldmap";
import type { Overview } from "../types";

function kpi(label: string, value: string, sub: string, testid: string, tone = ""): HTMLElement {
  return h(
    "div",
    { class: `card kpi ${tone}`, "data-testid": testid },
    h("div", { class: "kpi-label" }, label),
    h("div", { class: "kpi-value" }, value),
    h("div", { class: "kpi-sub" }, sub),
  );
}

function panel(title: string, body: HTMLElement, extra = "", sub = ""): HTMLElement {
  return h(
    "section",
    { class: `card panel ${extra}` },
    h("h2", {}, title),
    sub ? h("p", { class: "panel-sub muted" }, sub) : null,
    body,
  );
}

function emptyNote(text: string): HTMLElement {
  return h("div", { class: "empty-note" }, text);
}

/** Renders the overview page. */
export async function overviewPage(root: HTMLElement): Promise<() => void> {
  const o = await getJson<Overview>("/overview");
  const d = o.devices;
  const share = d.total ? Math.round((d.compliant / d.total) * 100) : 0;
  const disposers: Array<() => void> = [];

  const donutEl = h("div", { class: "chart chart-donut", "data-testid": "compliance-chart" });
  const categoriesEl = h("div", { class: "chart", "data-testid": "categories-chart" });
  const trackersEl = h("div", { class: "chart", "data-testid": "trackers-chart" });
  const mapEl = h("div", { class: "chart chart-map", "data-testid": "world-map" });

  const blocked = o.most_blocked.length
    ? h(
        "table",
        { class: "table compact", "data-testid": "most-blocked" },
        h("thead", {}, h("tr", {}, h("th", {}, "App"), h("th", { class: "num" }, "Devices"))),
        h(
          "tbody",
          {},
          o.most_blocked
            .slice(0, 8)
            .map((a) =>
              h(
                "tr",
                {},
                h(
                  "td",
                  {},
                  h(
                    "a",
                    { href: `/apps/${a.sha256}` },
                    h("div", { class: "app-name" }, a.label || a.package),
                    h("div", { class: "pkg" }, a.package),
                  ),
                ),
                h("td", { class: "num" }, h("span", { class: "badge badge-block" }, String(a.devices))),
              ),
            ),
        ),
      )
    : emptyNote("No app installed in the fleet is blocked.");

  const topCountries = [...o.countries].sort((a, b) => b.apps - a.apps).slice(0, 8);
  const countryList = h(
    "ol",
    { class: "country-list" },
    topCountries.map((c) =>
      h(
        "li",
        {},
        h("span", { class: "cc" }, c.country),
        h("span", { class: "country" }, countryName(c.country)),
        h("span", { class: "num muted" }, `${plural(c.apps, "app")} · ${plural(c.hosts, "host")}`),
      ),
    ),
  );

  replace(
    root,
    h(
      "div",
      { class: "page-head" },
      h("h1", {}, "Overview"),
      h("p", { class: "muted" }, "What the apps on your organization's devices do with their data."),
    ),
    h(
      "div",
      { class: "kpis" },
      kpi(
        "Devices",
        String(d.total),
        `${d.non_compliant} non-compliant`,
        "kpi-devices",
        d.non_compliant ? "tone-block" : "",
      ),
      kpi(
        "Compliant",
        d.total ? `${share}%` : "—",
        d.total ? `${d.compliant} of ${d.total} devices` : "no device yet",
        "kpi-compliance",
      ),
      kpi(
        "Apps",
        String(o.apps.total),
        `${o.apps.analysed} analysed · ${o.apps.pending} pending · ${o.apps.failed} failed`,
        "kpi-apps",
      ),
      kpi(
        "Destination countries",
        String(o.countries.length),
        `${plural(o.trackers.length, "tracker SDK")} seen`,
        "kpi-countries",
      ),
    ),
    h(
      "div",
      { class: "grid-2" },
      panel(
        "Device compliance",
        d.total ? h("div", { class: "donut-wrap" }, donutEl) : emptyNote("No device has reported an inventory yet."),
      ),
      panel("Most-blocked apps", blocked, "", "Blocked apps by the number of devices that have them"),
    ),
    h(
      "div",
      { class: "grid-2" },
      panel(
        "Data categories leaving the fleet",
        o.categories_leaving.length ? categoriesEl : emptyNote("No app on the fleet transmits personal data."),
        "",
        "Devices with an app that transmits the category",
      ),
      panel(
        "Top trackers",
        o.trackers.length ? trackersEl : emptyNote("No tracker SDK found."),
        "",
        "Apps embedding the tracker SDK",
      ),
    ),
    panel(
      "Where the data goes",
      h(
        "div",
        { class: "map-wrap" },
        mapEl,
        o.countries.length ? countryList : emptyNote("No destination country known yet."),
      ),
      "panel-map",
      "Countries of the servers that the fleet's apps send data to (owner or IP location)",
    ),
  );

  if (d.total) {
    disposers.push(
      donut(
        donutEl,
        [
          { name: "Compliant", value: d.compliant, color: COLORS.allow },
          { name: "Warning", value: d.warn, color: COLORS.warn },
          { name: "Non-compliant", value: d.non_compliant, color: COLORS.block },
          { name: "Pending", value: d.pending, color: COLORS.pending },
        ],
        `${share}%`,
        "compliant",
      ),
    );
  }
  if (o.categories_leaving.length) {
    disposers.push(
      bars(
        categoriesEl,
        [...o.categories_leaving]
          .sort((a, b) => b.devices - a.devices || b.apps - a.apps)
          .slice(0, 10)
          .map((c) => ({ name: categoryName(c.category), value: c.devices })),
        "devices",
        COLORS.block,
      ),
    );
  }
  if (o.trackers.length) {
    disposers.push(
      bars(
        trackersEl,
        o.trackers.slice(0, 10).map((t) => ({ name: t.name, value: t.apps })),
        "apps",
        COLORS.warn,
      ),
    );
  }
  disposers.push(
    worldMap(
      mapEl,
      o.countries.map((c) => ({ country: c.country, value: c.apps, hosts: c.hosts })),
    ),
  );
  return () => disposers.forEach((dispose) => dispose());
}
