// Presentation of API values: badges, chips, dates, names.
import { h, type Child } from "./dom";
import type { AppStatus, Compliance, Decision, Verdict } from "./types";

const DECISION_TEXT: Record<string, string> = { allow: "Allow", warn: "Warn", block: "Block", unknown: "Unknown" };

/**
 * A coloured allow/warn/block badge; grey "Pending" when null or missing,
 * and a red "Error" badge (the text as tooltip) for anything else, such as
 * the `error: …` a policy dry run gives when it fails on an app.
 */
export function decisionBadge(decision: Decision | "unknown" | string | null | undefined): HTMLElement {
  if (decision === null || decision === undefined) {
    return h("span", { class: "badge badge-none", "data-decision": "none" }, "Pending");
  }
  const text = DECISION_TEXT[decision];
  if (text) return h("span", { class: `badge badge-${decision}`, "data-decision": decision }, text);
  return h("span", { class: "badge badge-block", "data-decision": "error", title: decision }, "Error");
}

const COMPLIANCE_TEXT: Record<Compliance, string> = {
  compliant: "Compliant",
  warn: "Warning",
  non_compliant: "Non-compliant",
  pending: "Pending",
};

/** A coloured device compliance badge. */
export function complianceBadge(c: Compliance): HTMLElement {
  return h("span", { class: `badge badge-${c}`, "data-compliance": c }, COMPLIANCE_TEXT[c] ?? c);
}

const VERDICT_TEXT: Record<Verdict, string> = {
  leakware: "Leakware",
  needs_review: "Needs review",
  no_leak_found: "No leak found",
};

/** leakscope's verdict with its score as a small bar. */
export function verdictCell(verdict: Verdict | null, score: number | null): Child {
  if (!verdict) return h("span", { class: "muted" }, "—");
  const pct = Math.max(0, Math.min(100, score ?? 0));
  return h(
    "div",
    { class: `verdict verdict-${verdict}` },
    h("span", { class: "verdict-name" }, VERDICT_TEXT[verdict] ?? verdict),
    score === null
      ? null
      : h(
          "span",
          { class: "score", title: `score ${score} / 100` },
          h("span", { class: "score-bar", style: `width:${pct}%` }),
          h("span", { class: "score-num" }, String(score)),
        ),
  );
}

/** Analysis status: nothing when done, else a labelled chip (with the error when failed). */
export function statusCell(status: AppStatus, error: string | null): Child {
  if (status === "done") return h("span", { class: "status status-done" }, "Analysed");
  return h(
    "span",
    { class: `status status-${status}`, title: error ?? "" },
    status === "failed" ? `Failed: ${error ?? "unknown error"}` : status === "queued" ? "Queued" : "Analysing…",
  );
}

/** Human label for a data category id (`device_ids` → `Device IDs`). */
export function categoryName(id: string): string {
  const special: Record<string, string> = {
    device_ids: "Device IDs",
    geolocation: "Location",
    photos_videos: "Photos & videos",
    sms: "SMS",
  };
  if (special[id]) return special[id];
  const s = id.replace(/_/g, " ");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Category chips; `hot` ones (transmitted) are highlighted. */
export function chips(items: string[], hot = false, max = 4): Child {
  if (items.length === 0) return h("span", { class: "muted" }, "—");
  const shown = items.slice(0, max);
  return h(
    "div",
    { class: "chips" },
    shown.map((c) => h("span", { class: hot ? "chip chip-hot" : "chip" }, categoryName(c))),
    items.length > max
      ? h(
          "span",
          { class: "chip chip-more", title: items.slice(max).map(categoryName).join(", ") },
          `+${items.length - max}`,
        )
      : null,
  );
}

/** An RFC 3339 time as local date and time, or "—". */
export function dateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return d.toLocaleString(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** How long ago, coarse ("5 min ago"). */
export function ago(value: string | null | undefined): string {
  if (!value) return "never";
  const t = new Date(value).getTime();
  if (Number.isNaN(t)) return value;
  const s = Math.max(0, (Date.now() - t) / 1000);
  if (s < 60) return "just now";
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** The display name of an app: label, else package, else uploaded file name, else short sha. */
export function appName(a: {
  label: string | null;
  package: string | null;
  sha256: string;
  filename?: string | null;
}): string {
  return a.label || a.package || a.filename || a.sha256.slice(0, 12);
}

/** "1 app", "3 apps". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A shortened hash with the full value as tooltip. */
export function shortHash(sha: string): HTMLElement {
  return h("code", { class: "hash", title: sha }, sha.slice(0, 12) + "…");
}
