// Apps: every app of the organization with its verdicts; filter, sort, upload.
import { describeError, getJson, request } from "../api";
import { h, replace } from "../dom";
import { appName, chips, decisionBadge, statusCell, verdictCell } from "../format";
import type { AppSummary } from "../types";

type SortKey = "name" | "decision" | "score" | "devices" | "analysed";

const DECISION_RANK: Record<string, number> = { block: 3, warn: 2, allow: 1 };

function sortValue(a: AppSummary, key: SortKey): number | string {
  switch (key) {
    case "name":
      return appName(a).toLowerCase();
    case "decision":
      return DECISION_RANK[a.decision ?? ""] ?? 0;
    case "score":
      return a.score ?? -1;
    case "devices":
      return a.devices;
    case "analysed":
      return a.analysed_at ?? "";
  }
}

/** Renders the apps list; polls while some app is still being analysed. */
export async function appsPage(root: HTMLElement): Promise<() => void> {
  let apps = (await getJson<{ apps: AppSummary[] }>("/apps")).apps;
  let sortKey: SortKey = "decision";
  let descending = true;
  let timer: number | undefined;

  const search = h("input", {
    type: "search",
    class: "input",
    placeholder: "Filter by name or package…",
    "aria-label": "Filter apps",
  });
  const decisionFilter = h(
    "select",
    { class: "input", "aria-label": "Decision" },
    h("option", { value: "" }, "All decisions"),
    h("option", { value: "block" }, "Block"),
    h("option", { value: "warn" }, "Warn"),
    h("option", { value: "allow" }, "Allow"),
    h("option", { value: "pending" }, "Not analysed"),
  );
  const fileInput = h("input", {
    type: "file",
    class: "hidden",
    accept: ".apk,.apks,.xapk,.aab,.dex,.jar,application/vnd.android.package-archive",
    "data-testid": "upload-input",
  });
  const uploadButton = h("button", { class: "btn btn-primary", onclick: () => fileInput.click() }, "Upload app");
  const message = h("div", { class: "notice hidden", role: "status" });
  const count = h("span", { class: "muted" });
  const tbody = h("tbody", {});

  const headers: Array<[string, SortKey | null, string]> = [
    ["App", "name", ""],
    ["Decision", "decision", ""],
    ["leakscope verdict", "score", ""],
    ["Data accessed", null, ""],
    ["Data transmitted", null, ""],
    ["Trackers", null, ""],
    ["Devices", "devices", "num"],
    ["Status", null, ""],
  ];
  const headRow = h("tr", {});

  function drawHead(): void {
    replace(
      headRow,
      headers.map(([text, key, cls]) =>
        key
          ? h(
              "th",
              {
                class: `sortable ${cls} ${key === sortKey ? "sorted" : ""}`,
                "aria-sort": key === sortKey ? (descending ? "descending" : "ascending") : "none",
              },
              h(
                "button",
                { class: "th-btn", onclick: () => setSort(key) },
                text,
                key === sortKey ? (descending ? " ▾" : " ▴") : "",
              ),
            )
          : h("th", { class: cls }, text),
      ),
    );
  }

  function setSort(key: SortKey): void {
    descending = key === sortKey ? !descending : key !== "name";
    sortKey = key;
    draw();
  }

  function draw(): void {
    drawHead();
    const q = search.value.trim().toLowerCase();
    const want = decisionFilter.value;
    const rows = apps
      .filter((a) => !q || [a.label, a.package, a.sha256].some((v) => v?.toLowerCase().includes(q)))
      .filter((a) => !want || (want === "pending" ? a.decision === null : a.decision === want))
      .sort((a, b) => {
        const x = sortValue(a, sortKey);
        const y = sortValue(b, sortKey);
        const c = x < y ? -1 : x > y ? 1 : appName(a).localeCompare(appName(b));
        return descending && x !== y ? -c : c;
      });
    count.textContent = `${rows.length} of ${apps.length} apps`;
    replace(
      tbody,
      rows.length
        ? rows.map((a) =>
            h(
              "tr",
              { "data-sha": a.sha256, class: a.decision === "block" ? "row-block" : "" },
              h(
                "td",
                { class: "col-app" },
                h(
                  "a",
                  { href: `/apps/${a.sha256}`, class: "app-link" },
                  h(
                    "div",
                    { class: "app-name" },
                    appName(a),
                    a.counterfeit
                      ? h(
                          "span",
                          {
                            class: "badge badge-block badge-small",
                            title: "Its signer differs from the one trusted for this package",
                          },
                          "Counterfeit",
                        )
                      : null,
                  ),
                  h(
                    "div",
                    { class: "pkg" },
                    a.package ?? a.sha256.slice(0, 16),
                    a.version_name ? ` · ${a.version_name}` : "",
                  ),
                ),
              ),
              h("td", {}, a.status === "failed" ? h("span", { class: "muted" }, "—") : decisionBadge(a.decision)),
              h("td", {}, verdictCell(a.verdict, a.score)),
              h("td", { class: "col-chips" }, chips(a.categories_accessed)),
              h("td", { class: "col-chips" }, chips(a.categories_transmitted, true)),
              h(
                "td",
                { class: "col-trackers", title: a.trackers.join(", ") },
                a.trackers.length
                  ? h(
                      "span",
                      { class: "tracker-count" },
                      a.trackers.length === 1 ? a.trackers[0] : `${a.trackers[0]} +${a.trackers.length - 1}`,
                    )
                  : h("span", { class: "muted" }, "—"),
              ),
              h("td", { class: "num" }, String(a.devices)),
              h("td", {}, statusCell(a.status, a.error)),
            ),
          )
        : h(
            "tr",
            {},
            h(
              "td",
              { colspan: headers.length, class: "empty-note" },
              apps.length
                ? "No app matches the filter."
                : "No app yet: upload one, or let a device report its inventory.",
            ),
          ),
    );
    schedulePoll();
  }

  function schedulePoll(): void {
    window.clearTimeout(timer);
    if (apps.some((a) => a.status === "queued" || a.status === "analysing")) {
      timer = window.setTimeout(async () => {
        try {
          apps = (await getJson<{ apps: AppSummary[] }>("/apps")).apps;
          draw();
        } catch {
          schedulePoll();
        }
      }, 3000);
    }
  }

  fileInput.addEventListener("change", async () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    uploadButton.disabled = true;
    message.className = "notice";
    message.textContent = `Uploading ${file.name} (${(file.size / 1048576).toFixed(1)} MiB)…`;
    try {
      const response = await request(`/apps?filename=${encodeURIComponent(file.name)}`, {
        method: "POST",
        headers: { "Content-Type": "application/vnd.android.package-archive" },
        body: file,
      });
      const answer = (await response.json()) as { sha256: string; status: string; duplicate: boolean };
      message.className = "notice notice-ok";
      message.textContent = `${file.name}: ${answer.duplicate ? "already known" : "uploaded"}, status ${answer.status}.`;
      apps = (await getJson<{ apps: AppSummary[] }>("/apps")).apps;
      draw();
    } catch (e) {
      message.className = "notice notice-error";
      message.textContent = `Upload of ${file.name} failed: ${describeError(e)}`;
    } finally {
      uploadButton.disabled = false;
      fileInput.value = "";
    }
  });
  search.addEventListener("input", draw);
  decisionFilter.addEventListener("change", draw);

  replace(
    root,
    h(
      "div",
      { class: "page-head row" },
      h(
        "div",
        {},
        h("h1", {}, "Apps"),
        h("p", { class: "muted" }, "Apps uploaded by your organization or seen on its devices."),
      ),
      h("div", {}, fileInput, uploadButton),
    ),
    message,
    h("div", { class: "toolbar" }, search, decisionFilter, count),
    h(
      "div",
      { class: "card table-wrap" },
      h("table", { class: "table", "data-testid": "apps-table" }, h("thead", {}, headRow), tbody),
    ),
  );
  draw();
  return () => window.clearTimeout(timer);
}
