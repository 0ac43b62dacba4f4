// Policy: the current version, a pack selector or a Rego editor, validation
// (compile errors at their line, decision changes per app) before saving,
// and the version history.
import { ApiError, describeError, getJson, sendJson } from "../api";
import { h, replace } from "../dom";
import { codeEditor } from "../editor";
import { dateTime, decisionBadge } from "../format";
import type { Me, PolicyVersion, ValidationResult } from "../types";

/** Starting point for a custom policy (the convention of docs/policy.md). */
const TEMPLATE = `package leakscope

import rego.v1

# Block apps that send the device location anywhere.
block contains m if {
	input.assessment.categories.geolocation.transmitted == true
	m := {
		"rule": "custom.geolocation_transmitted",
		"message": "the app transmits the device location",
	}
}

# Warn when leakscope's own assessment is leakware.
warn contains m if {
	input.assessment.verdict == "leakware"
	m := {"rule": "custom.leakware", "message": "leakscope's assessment is leakware"}
}
`;

type Body = { pack: string } | { rego: string; data: unknown };

/** Renders the policy page. */
export async function policyPage(root: HTMLElement): Promise<void> {
  const [current, packs, versions, me] = await Promise.all([
    getJson<PolicyVersion>("/policy"),
    getJson<{ packs: string[] }>("/policy/packs"),
    getJson<{
      versions: Array<{ version: number; pack: string | null; created_at: string | null; created_by: string | null }>;
    }>("/policy/versions"),
    getJson<Me>("/me"),
  ]);
  const isAdmin = me.role === "admin";
  let mode: "pack" | "rego" = current.rego ? "rego" : "pack";
  /** The body last validated successfully; Save sends exactly this. */
  let validated: string | null = null;

  const packSelect = h(
    "select",
    { class: "input", "aria-label": "Policy pack", "data-testid": "pack-select" },
    packs.packs.map((p) => h("option", { value: p, selected: p === (current.pack ?? "baseline") }, p)),
  );
  const rego = codeEditor(current.rego ?? TEMPLATE, "Rego policy", changed, "rego-editor");
  const dataText = h("textarea", {
    class: "code data-json",
    spellcheck: "false",
    wrap: "off",
    "aria-label": "Policy data (JSON)",
    "data-testid": "data-editor",
  });
  dataText.value = JSON.stringify(current.rego ? (current.data ?? {}) : {}, null, 2);
  dataText.addEventListener("input", changed);

  const packTab = h(
    "button",
    { class: "tab", role: "tab", "data-testid": "mode-pack", onclick: () => setMode("pack") },
    "Built-in pack",
  );
  const regoTab = h(
    "button",
    { class: "tab", role: "tab", "data-testid": "mode-rego", onclick: () => setMode("rego") },
    "Custom Rego",
  );
  const packPane = h(
    "div",
    { class: "pane" },
    h("label", {}, "Pack"),
    packSelect,
    h(
      "p",
      { class: "muted" },
      "baseline blocks apps that transmit contacts, messages or audio, trackers reading device ids, and counterfeits; strict and developer add their own rules.",
    ),
  );
  const regoPane = h(
    "div",
    { class: "pane" },
    h(
      "div",
      { class: "editor-grid" },
      h("div", {}, h("label", {}, "Policy (Rego, package leakscope)"), rego.element),
      h("div", {}, h("label", {}, "Data (JSON, read as data.config)"), dataText),
    ),
  );
  packSelect.addEventListener("change", changed);

  const validateButton = h(
    "button",
    { class: "btn btn-primary", "data-testid": "validate", onclick: () => void validate() },
    "Validate",
  );
  const saveButton = h(
    "button",
    { class: "btn btn-save", "data-testid": "save", disabled: true, onclick: () => void save() },
    "Save new version",
  );
  const status = h(
    "div",
    { class: "validation-status", role: "status", "data-testid": "validation-status" },
    "Validate the policy to see what it would change; saving needs a successful validation.",
  );
  const output = h("div", { class: "validation-output", "data-testid": "validation-output" });

  function setMode(next: "pack" | "rego"): void {
    mode = next;
    packTab.classList.toggle("active", mode === "pack");
    regoTab.classList.toggle("active", mode === "rego");
    packPane.classList.toggle("hidden", mode !== "pack");
    regoPane.classList.toggle("hidden", mode !== "rego");
    changed();
  }

  /** The request body for the current editor state, or an error text. */
  function body(): Body | string {
    if (mode === "pack") return { pack: packSelect.value };
    let data: unknown;
    try {
      data = dataText.value.trim() ? JSON.parse(dataText.value) : {};
    } catch (e) {
      return `The data is not valid JSON: ${e instanceof Error ? e.message : String(e)}`;
    }
    if (typeof data !== "object" || data === null || Array.isArray(data)) return "The data must be a JSON object.";
    return { rego: rego.textarea.value, data };
  }

  function changed(): void {
    const b = body();
    const fresh = typeof b !== "string" && validated === JSON.stringify(b);
    saveButton.disabled = !(isAdmin && fresh);
    if (!fresh && validated !== null) {
      status.className = "validation-status";
      status.textContent = "Edited since the last validation: validate again before saving.";
    }
  }

  async function validate(): Promise<void> {
    const b = body();
    rego.markErrors(new Map());
    if (typeof b === "string") {
      showInvalid(b);
      return;
    }
    validateButton.disabled = true;
    status.className = "validation-status";
    status.textContent = "Validating…";
    try {
      const result = await sendJson<ValidationResult>("POST", "/policy/validate", b);
      if (result.valid) {
        validated = JSON.stringify(b);
        showResults(result);
      } else {
        validated = null;
        showErrors(result.errors);
      }
    } catch (e) {
      validated = null;
      if (e instanceof ApiError && e.code === "policy_invalid" && e.details && typeof e.details === "object") {
        showErrors([e.details as ValidationResult["errors"][number]]);
      } else {
        showInvalid(describeError(e));
      }
    } finally {
      validateButton.disabled = false;
      changed();
    }
  }

  function showInvalid(message: string): void {
    validated = null;
    status.className = "validation-status status-error";
    status.textContent = message;
    replace(output);
    changed();
  }

  function showErrors(errors: ValidationResult["errors"]): void {
    status.className = "validation-status status-error";
    status.textContent = `The policy does not compile: ${errors.length} error${errors.length === 1 ? "" : "s"}.`;
    const marks = new Map<number, string>();
    for (const e of errors) if (e.line) marks.set(e.line, e.message);
    rego.markErrors(marks);
    replace(
      output,
      h(
        "ul",
        { class: "errors", "data-testid": "policy-errors" },
        errors.map((e) =>
          h(
            "li",
            {},
            e.line
              ? h(
                  "button",
                  { class: "link-btn", "data-line": e.line, onclick: () => rego.goToLine(e.line ?? 1) },
                  `line ${e.line}${e.column ? `:${e.column}` : ""}`,
                )
              : h("span", {}, e.file ?? "policy"),
            h("span", { class: "error-message" }, e.message),
          ),
        ),
      ),
    );
    const first = errors.find((e) => e.line);
    if (first?.line && mode === "rego") rego.goToLine(first.line);
  }

  function showResults(result: ValidationResult): void {
    const changes = result.results.filter((r) => r.current !== r.proposed);
    status.className = "validation-status status-ok";
    status.textContent = `Valid. ${changes.length} of ${result.results.length} analysed apps would change decision.${isAdmin ? "" : " Only an admin can save."}`;
    const rows = [...result.results].sort(
      (a, b) => Number(b.current !== b.proposed) - Number(a.current !== a.proposed),
    );
    replace(
      output,
      rows.length
        ? h(
            "table",
            { class: "table compact", "data-testid": "validation-results" },
            h(
              "thead",
              {},
              h("tr", {}, h("th", {}, "App"), h("th", {}, "Current"), h("th", {}, ""), h("th", {}, "Proposed")),
            ),
            h(
              "tbody",
              {},
              rows.map((r) =>
                h(
                  "tr",
                  { class: r.current !== r.proposed ? "row-changed" : "" },
                  h(
                    "td",
                    {},
                    h("a", { href: `/apps/${r.sha256}` }, r.label || r.package || r.sha256.slice(0, 12)),
                    h("div", { class: "pkg" }, r.package ?? ""),
                  ),
                  h("td", {}, decisionBadge(r.current)),
                  h("td", { class: "arrow" }, r.current !== r.proposed ? "→" : "="),
                  h("td", {}, decisionBadge(r.proposed)),
                ),
              ),
            ),
          )
        : h("p", { class: "muted" }, "No analysed app to test the policy on yet."),
    );
  }

  async function save(): Promise<void> {
    if (validated === null) return;
    saveButton.disabled = true;
    try {
      const answer = await sendJson<{ version: number; reevaluated: number }>("PUT", "/policy", JSON.parse(validated));
      status.className = "validation-status status-ok";
      status.textContent = `Saved as version ${answer.version}; ${answer.reevaluated} apps re-evaluated.`;
      const fresh = await getJson<typeof versions>("/policy/versions");
      replace(historyBox, historyTable(fresh.versions));
      replace(currentBox, currentText(await getJson<PolicyVersion>("/policy")));
      validated = null;
    } catch (e) {
      status.className = "validation-status status-error";
      status.textContent = `Not saved: ${describeError(e)}`;
      changed();
    }
  }

  const currentBox = h("div", { "data-testid": "policy-current" }, currentText(current));
  const historyBox = h("div", {}, historyTable(versions.versions));

  replace(
    root,
    h(
      "div",
      { class: "page-head" },
      h("h1", {}, "Policy"),
      h("p", { class: "muted" }, "Rules that decide, per app, allow, warn or block for your organization's devices."),
    ),
    h("section", { class: "card panel" }, h("h2", {}, "Current policy"), currentBox),
    h(
      "section",
      { class: "card panel" },
      h(
        "div",
        { class: "panel-title-row" },
        h("h2", {}, "Change the policy"),
        h("div", { class: "tabs", role: "tablist" }, packTab, regoTab),
      ),
      packPane,
      regoPane,
      h(
        "div",
        { class: "actions-row" },
        validateButton,
        saveButton,
        isAdmin ? null : h("span", { class: "muted" }, "Your role (analyst) can validate but not save."),
      ),
      status,
      output,
    ),
    h("section", { class: "card panel" }, h("h2", {}, "Version history"), historyBox),
  );
  setMode(mode);
}

function currentText(p: PolicyVersion): HTMLElement {
  return h(
    "div",
    { class: "current-policy" },
    h("span", { class: "version-pill" }, `v${p.version}`),
    p.pack
      ? h("span", {}, "Built-in pack ", h("strong", {}, p.pack))
      : h("span", {}, h("strong", {}, "Custom Rego"), ` (${(p.rego ?? "").split("\n").length} lines)`),
    h(
      "span",
      { class: "muted" },
      p.version === 0 ? "default, never changed" : `set ${dateTime(p.created_at)} by ${p.created_by ?? "unknown"}`,
    ),
    p.rego
      ? h(
          "details",
          { class: "policy-source" },
          h("summary", {}, "Show the Rego and data"),
          h("pre", { class: "code-view" }, p.rego),
          h("pre", { class: "code-view" }, JSON.stringify(p.data ?? {}, null, 2)),
        )
      : null,
  );
}

function historyTable(
  versions: Array<{ version: number; pack: string | null; created_at: string | null; created_by: string | null }>,
): HTMLElement {
  if (versions.length === 0)
    return h("p", { class: "muted" }, "No version saved yet: the organization uses the baseline pack.");
  return h(
    "table",
    { class: "table compact", "data-testid": "policy-versions" },
    h("thead", {}, h("tr", {}, h("th", {}, "Version"), h("th", {}, "Policy"), h("th", {}, "Saved"), h("th", {}, "By"))),
    h(
      "tbody",
      {},
      [...versions]
        .sort((a, b) => b.version - a.version)
        .map((v) =>
          h(
            "tr",
            {},
            h("td", {}, `v${v.version}`),
            h("td", {}, v.pack ? `pack ${v.pack}` : "custom Rego"),
            h("td", {}, dateTime(v.created_at)),
            h("td", {}, v.created_by ?? "—"),
          ),
        ),
    ),
  );
}
