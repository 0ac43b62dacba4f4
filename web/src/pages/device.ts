// A device: its compliance and the verdict of each of its apps.
import { getJson } from "../api";
import { h, replace } from "../dom";
import { complianceBadge, dateTime, decisionBadge } from "../format";
import type { DeviceCompliance } from "../types";

const RANK: Record<string, number> = { block: 0, warn: 1, unknown: 2, allow: 3 };

/** Renders one device's page. */
export async function devicePage(root: HTMLElement, params: Record<string, string>): Promise<void> {
  const id = params.id ?? "";
  const d = await getJson<DeviceCompliance>(`/devices/${encodeURIComponent(id)}/compliance`);
  const apps = [...d.apps].sort(
    (a, b) => (RANK[a.decision] ?? 9) - (RANK[b.decision] ?? 9) || a.package.localeCompare(b.package),
  );
  const n = (k: string) => d.apps.filter((a) => a.decision === k).length;
  replace(
    root,
    h("nav", { class: "crumbs" }, h("a", { href: "/devices" }, "Devices"), " / ", id),
    h(
      "div",
      { class: "page-head row" },
      h(
        "div",
        {},
        h(
          "h1",
          { "data-testid": "device-title" },
          h("code", { class: "device-id big" }, d.device_id),
          complianceBadge(d.compliance),
        ),
        h(
          "p",
          { class: "muted" },
          `Last inventory ${dateTime(d.last_seen)} · ${d.apps.length} apps · ${n("block")} blocked · ${n("warn")} warned · ${n("unknown")} unknown`,
        ),
      ),
    ),
    h(
      "div",
      { class: "card table-wrap" },
      h(
        "table",
        { class: "table", "data-testid": "device-apps" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", {}, "App"),
            h("th", { class: "num" }, "Version"),
            h("th", {}, "Decision"),
            h("th", {}, "Reasons"),
            h("th", {}, "Notes"),
          ),
        ),
        h(
          "tbody",
          {},
          apps.length
            ? apps.map((a) =>
                h(
                  "tr",
                  { class: a.decision === "block" ? "row-block" : "" },
                  h(
                    "td",
                    {},
                    a.sha256
                      ? h(
                          "a",
                          { href: `/apps/${a.sha256}`, class: "app-link" },
                          h("span", { class: "pkg-main" }, a.package),
                        )
                      : h("span", { class: "pkg-main" }, a.package),
                  ),
                  h("td", { class: "num" }, a.version_code === null ? "—" : String(a.version_code)),
                  h("td", {}, decisionBadge(a.decision)),
                  h(
                    "td",
                    {},
                    a.reasons.length
                      ? h(
                          "ul",
                          { class: "reasons" },
                          a.reasons.map((r) => h("li", {}, r)),
                        )
                      : h("span", { class: "muted" }, "—"),
                  ),
                  h(
                    "td",
                    {},
                    a.counterfeit ? h("span", { class: "badge badge-block badge-small" }, "Counterfeit") : null,
                    a.upload_requested
                      ? h(
                          "span",
                          { class: "chip", title: "The server has no copy of this app: the MDM should upload it" },
                          "Upload requested",
                        )
                      : null,
                  ),
                ),
              )
            : h("tr", {}, h("td", { colspan: 5, class: "empty-note" }, "The last inventory listed no app.")),
        ),
      ),
    ),
  );
}
