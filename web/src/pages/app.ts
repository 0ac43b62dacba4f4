// App report: the organization's policy decision with its matched rules, the
// counterfeit check, downloads, and the full HTML report in a sandboxed frame.
import { describeError, getJson, request } from "../api";
import { h, replace } from "../dom";
import { appName, chips, dateTime, decisionBadge, statusCell, verdictCell } from "../format";
import type { AppDetail } from "../types";

/** Downloads an API resource (which needs the bearer header) as a file. */
async function download(path: string, fileName: string, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  try {
    const blob = await (await request(path)).blob();
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: fileName });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  } catch (e) {
    alert(`Download failed: ${describeError(e)}`);
  } finally {
    button.disabled = false;
  }
}

/**
 * Links inside the report: `#fragment` links would resolve against the
 * dashboard's URL (a srcdoc document has its parent's base URL) and load the
 * dashboard into the frame, so scroll the page to the target instead; other
 * links open in a new tab.
 */
function followReportLink(frame: HTMLIFrameElement, event: MouseEvent): void {
  const link = (event.target as Element | null)?.closest?.("a[href]");
  if (!link) return;
  const href = link.getAttribute("href") ?? "";
  event.preventDefault();
  if (href.startsWith("#")) {
    let id = href.slice(1);
    try {
      id = decodeURIComponent(id);
    } catch {
      // keep the raw fragment
    }
    const target = frame.contentDocument?.getElementById(id);
    if (target) {
      const top = frame.getBoundingClientRect().top + target.getBoundingClientRect().top + window.scrollY - 16;
      window.scrollTo({ top, behavior: "smooth" });
    }
    return;
  }
  if (/^https?:\/\//i.test(href)) window.open(href, "_blank", "noopener,noreferrer");
}

function fact(label: string, value: Node | string): HTMLElement {
  return h("div", { class: "fact" }, h("dt", {}, label), h("dd", {}, value));
}

/** Renders the report page of one app; polls while it is being analysed. */
export async function appPage(root: HTMLElement, params: Record<string, string>): Promise<() => void> {
  const sha = params.sha ?? "";
  if (!/^[0-9a-f]{64}$/.test(sha)) {
    replace(root, h("div", { class: "notice notice-error" }, "This is not an app id (a SHA-256 in lowercase hex)."));
    return () => {};
  }
  const app = await getJson<AppDetail>(`/apps/${sha}`);
  const s = app.summary;
  let timer: number | undefined;
  const pending = app.status === "queued" || app.status === "analysing";
  if (pending) timer = window.setTimeout(() => root.isConnected && void appPage(root, params).catch(() => {}), 3000);

  const jsonButton = h("button", { class: "btn", disabled: !app.report }, "Report JSON");
  jsonButton.addEventListener("click", () => {
    const blob = new Blob([JSON.stringify(app.report, null, 2)], { type: "application/json" });
    const url = URL.createObjectURL(blob);
    const a = h("a", { href: url, download: `${s.package ?? sha}.leakscope.json` });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  });
  const sarifButton = h("button", { class: "btn", disabled: app.status !== "done" }, "SARIF");
  sarifButton.addEventListener(
    "click",
    () => void download(`/apps/${sha}/report.sarif`, `${s.package ?? sha}.sarif`, sarifButton),
  );

  const policy = app.policy
    ? h(
        "section",
        { class: `card panel decision-panel decision-${app.policy.decision}`, "data-testid": "policy-decision" },
        h(
          "div",
          { class: "panel-title-row" },
          h("h2", {}, "Policy decision"),
          decisionBadge(app.policy.decision),
          h("span", { class: "muted" }, `policy version ${app.policy.policy_version}`),
        ),
        app.policy.matches.length
          ? h(
              "table",
              { class: "table compact" },
              h("thead", {}, h("tr", {}, h("th", {}, "Rule"), h("th", {}, "Decision"), h("th", {}, "Why"))),
              h(
                "tbody",
                {},
                app.policy.matches.map((m) =>
                  h(
                    "tr",
                    {},
                    h("td", {}, h("code", {}, m.rule)),
                    h("td", {}, decisionBadge(m.decision)),
                    h("td", {}, m.message),
                  ),
                ),
              ),
            )
          : h("p", { class: "muted" }, "No rule of the policy matched: the app is allowed."),
      )
    : h(
        "section",
        { class: "card panel" },
        h("h2", {}, "Policy decision"),
        h("p", { class: "muted" }, "Not decided yet: the app has not been analysed."),
      );

  const c = app.counterfeit;
  const counterfeit = c
    ? h(
        "section",
        { class: `card panel ${c.suspected ? "counterfeit-alert" : ""}`, "data-testid": "counterfeit" },
        h("h2", {}, c.suspected ? "Suspected counterfeit" : "Signer check"),
        h(
          "p",
          {},
          c.suspected
            ? `The app claims to be ${c.package ?? "a known package"} but is not signed by the trusted signer (trusted by ${c.source === "fleet" ? "your fleet" : "the knowledge base"}).`
            : (c.expected_signers ?? []).length
              ? "The signer matches the one trusted for this package."
              : "No trusted signer is known for this package yet: the first analysed copy in your fleet becomes the reference.",
        ),
        h(
          "dl",
          { class: "facts" },
          fact(
            "Expected signer",
            h(
              "div",
              {},
              (c.expected_signers ?? []).length
                ? (c.expected_signers ?? []).map((x) => h("code", { class: "hash-full" }, x))
                : h("span", { class: "muted" }, "none known"),
            ),
          ),
          fact(
            "Actual signer",
            h(
              "div",
              {},
              (c.actual_signers ?? []).length
                ? (c.actual_signers ?? []).map((x) => h("code", { class: "hash-full" }, x))
                : h("span", { class: "muted" }, "unsigned or unknown"),
            ),
          ),
        ),
      )
    : null;

  const frame = h("iframe", {
    class: "report-frame",
    sandbox: "allow-same-origin allow-popups",
    title: "leakscope report",
    "data-testid": "report-frame",
  });
  const frameBox = h(
    "section",
    { class: "card report-box" },
    h("div", { class: "panel-title-row" }, h("h2", {}, "Full report")),
    app.status === "done"
      ? frame
      : h(
          "p",
          { class: "muted pad" },
          pending
            ? "The report appears here once the analysis is done."
            : `No report: the analysis failed (${app.error ?? "unknown error"}).`,
        ),
  );

  replace(
    root,
    h("nav", { class: "crumbs" }, h("a", { href: "/apps" }, "Apps"), " / ", appName(s)),
    h(
      "div",
      { class: "page-head row" },
      h(
        "div",
        {},
        h(
          "h1",
          { "data-testid": "app-title" },
          appName(s),
          s.counterfeit ? h("span", { class: "badge badge-block" }, "Counterfeit") : null,
        ),
        h(
          "div",
          { class: "pkg big", "data-testid": "app-package" },
          s.package ?? "",
          s.version_name ? ` · version ${s.version_name}` : "",
          s.version_code !== null ? ` (${s.version_code})` : "",
        ),
      ),
      h("div", { class: "actions" }, jsonButton, sarifButton),
    ),
    h(
      "section",
      { class: "card summary-row" },
      h(
        "dl",
        { class: "facts facts-row" },
        fact("Decision", decisionBadge(s.decision)),
        fact("leakscope verdict", h("div", {}, verdictCell(s.verdict, s.score))),
        fact("Status", h("div", {}, statusCell(app.status, app.error))),
        fact("Devices", String(s.devices)),
        fact("Analysed", dateTime(s.analysed_at)),
        fact("SHA-256", h("code", { class: "hash-full" }, sha)),
      ),
      h(
        "dl",
        { class: "facts facts-row" },
        fact("Data accessed", h("div", {}, chips(s.categories_accessed, false, 12))),
        fact("Data transmitted", h("div", {}, chips(s.categories_transmitted, true, 12))),
        fact("Trackers", s.trackers.length ? s.trackers.join(", ") : "none found"),
      ),
    ),
    h("div", { class: counterfeit ? "grid-2" : "" }, policy, counterfeit),
    frameBox,
  );

  if (app.status === "done") {
    try {
      const html = await (await request(`/apps/${sha}/report.html`)).text();
      frame.addEventListener("load", () => {
        const doc = frame.contentDocument;
        if (!doc?.body) return;
        frame.style.height = `${Math.max(400, doc.body.scrollHeight + 64)}px`;
        doc.addEventListener("click", (event) => followReportLink(frame, event));
      });
      frame.srcdoc = html;
    } catch (e) {
      frame.replaceWith(
        h("div", { class: "notice notice-error" }, `The HTML report could not be loaded: ${describeError(e)}`),
      );
    }
  }
  return () => window.clearTimeout(timer);
}
