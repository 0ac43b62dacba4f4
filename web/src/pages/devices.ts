// Devices: every device of the organization with its compliance.
import { getJson } from "../api";
import { h, replace } from "../dom";
import { ago, complianceBadge, dateTime } from "../format";
import type { DeviceRow } from "../types";

const RANK: Record<string, number> = { non_compliant: 0, warn: 1, pending: 2, compliant: 3 };

/** Renders the device list, worst compliance first. */
export async function devicesPage(root: HTMLElement): Promise<void> {
  const devices = (await getJson<{ devices: DeviceRow[] }>("/devices")).devices;
  const search = h("input", {
    type: "search",
    class: "input",
    placeholder: "Filter by device id…",
    "aria-label": "Filter devices",
  });
  const tbody = h("tbody", {});
  const count = h("span", { class: "muted" });

  function draw(): void {
    const q = search.value.trim().toLowerCase();
    const rows = devices
      .filter((d) => !q || d.device_id.toLowerCase().includes(q))
      .sort(
        (a, b) =>
          (RANK[a.compliance] ?? 9) - (RANK[b.compliance] ?? 9) ||
          b.blocked - a.blocked ||
          b.warned - a.warned ||
          a.device_id.localeCompare(b.device_id),
      );
    count.textContent = `${rows.length} of ${devices.length} devices`;
    replace(
      tbody,
      rows.length
        ? rows.map((d) =>
            h(
              "tr",
              { "data-device": d.device_id },
              h(
                "td",
                {},
                h(
                  "a",
                  { href: `/devices/${encodeURIComponent(d.device_id)}`, class: "app-link" },
                  h("code", { class: "device-id" }, d.device_id),
                ),
              ),
              h("td", {}, complianceBadge(d.compliance)),
              h("td", { class: "num" }, String(d.apps)),
              h("td", { class: "num" }, d.blocked ? h("span", { class: "count count-block" }, String(d.blocked)) : "0"),
              h("td", { class: "num" }, d.warned ? h("span", { class: "count count-warn" }, String(d.warned)) : "0"),
              h("td", { class: "num" }, String(d.unknown)),
              h("td", { title: dateTime(d.last_seen) }, ago(d.last_seen)),
            ),
          )
        : h(
            "tr",
            {},
            h(
              "td",
              { colspan: 7, class: "empty-note" },
              devices.length
                ? "No device matches the filter."
                : "No device has reported its inventory yet. MDMs post inventories to /api/v1/devices/{id}/inventory.",
            ),
          ),
    );
  }
  search.addEventListener("input", draw);
  replace(
    root,
    h(
      "div",
      { class: "page-head" },
      h("h1", {}, "Devices"),
      h(
        "p",
        { class: "muted" },
        "Devices whose MDM reports their installed apps; a device is non-compliant when one of its apps is blocked.",
      ),
    ),
    h("div", { class: "toolbar" }, search, count),
    h(
      "div",
      { class: "card table-wrap" },
      h(
        "table",
        { class: "table", "data-testid": "devices-table" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", {}, "Device"),
            h("th", {}, "Compliance"),
            h("th", { class: "num" }, "Apps"),
            h("th", { class: "num" }, "Blocked"),
            h("th", { class: "num" }, "Warned"),
            h("th", { class: "num" }, "Unknown"),
            h("th", {}, "Last seen"),
          ),
        ),
        tbody,
      ),
    ),
  );
  draw();
}
