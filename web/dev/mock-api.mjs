#!/usr/bin/env node
// A stand-in for the leakscope fleet server, for developing and testing the
// dashboard without the Rust server: it serves the API contract
// (/work/helper-tasks/api-contract.md) with fake but realistic data kept in
// memory, and the built dashboard from web/dist (every non-API path falls
// back to index.html, /api/docs to dist/api-docs/). No dependencies.
//
// Usage: node web/dev/mock-api.mjs [--port 8787] [--dist web/dist] [--empty] [--report-html FILE]
// (--empty: start with no apps and no devices, as a new organization;
// --report-html: serve FILE, e.g. the output of `leakscope analyze --format
// html`, as every app's report.html instead of the built-in fake one)
// Prints `admin token: lsk_…` and `analyst token: lsk_…` on stderr like the
// server's first start, and `listening on http://127.0.0.1:PORT` on stdout
// (--port 0 picks a free port).

import { createHash, randomBytes } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const here = dirname(fileURLToPath(import.meta.url));
const PORT = Number(option("--port", process.env.PORT ?? "8787"));
const DIST = resolve(option("--dist", join(here, "..", "dist")));
const REPORT_HTML = option("--report-html", null);
const ADMIN_TOKEN = option("--token", "lsk_" + randomBytes(16).toString("hex"));
const ANALYST_TOKEN = "lsk_" + randomBytes(16).toString("hex");
const DEVICE_TOKEN = "lsk_" + randomBytes(16).toString("hex");

const tokens = new Map([
  [ADMIN_TOKEN, { role: "admin", device_id: null, label: "first-start admin" }],
  [ANALYST_TOKEN, { role: "analyst", device_id: null, label: "analyst" }],
  [DEVICE_TOKEN, { role: "device", device_id: "android-7f3a91", label: "mdm device" }],
]);
const ORG = { id: 1, name: "Acme Logistics" };

// ---------------------------------------------------------------- fake data

const sha = (s) => createHash("sha256").update(s).digest("hex");
const now = Date.now();
const iso = (minutesAgo) => new Date(now - minutesAgo * 60000).toISOString();

/** Apps as the server would summarise them (org-independent part). */
const apps = [
  {
    package: "com.superflash.flashlight",
    label: "Super Flashlight",
    version_name: "1.0",
    version_code: 1,
    verdict: "leakware",
    score: 92,
    counterfeit: false,
    accessed: ["contacts", "geolocation", "device_ids", "camera"],
    transmitted: ["contacts", "geolocation", "device_ids"],
    trackers: ["FakeAds SDK"],
    endpoints: [
      ["collect.superflash-analytics.test", "US"],
      ["203.0.113.7", "RU"],
      ["api.fakeads-sdk.test", "CN"],
    ],
  },
  {
    package: "com.weatherly.app",
    label: "Weatherly",
    version_name: "5.2.1",
    version_code: 5021,
    verdict: "needs_review",
    score: 55,
    counterfeit: false,
    accessed: ["geolocation", "device_ids"],
    transmitted: ["geolocation"],
    trackers: ["Google Firebase Analytics", "Google AdMob", "Facebook Analytics"],
    endpoints: [
      ["api.weatherly.io", "DE"],
      ["graph.facebook.com", "IE"],
      ["firebaselogging.googleapis.com", "US"],
    ],
  },
  {
    package: "org.notepad.simple",
    label: "Simple Notes",
    version_name: "2.4",
    version_code: 240,
    verdict: "no_leak_found",
    score: 8,
    counterfeit: false,
    accessed: ["storage"],
    transmitted: [],
    trackers: [],
    endpoints: [],
  },
  {
    package: "com.chatwave.messenger",
    label: "ChatWave",
    version_name: "12.0.3",
    version_code: 120003,
    verdict: "needs_review",
    score: 41,
    counterfeit: false,
    accessed: ["contacts", "messages", "audio", "camera"],
    transmitted: ["messages"],
    trackers: ["Google Firebase Analytics"],
    endpoints: [
      ["chat.chatwave.app", "SG"],
      ["media.chatwave.app", "NL"],
    ],
  },
  {
    package: "com.whatsapp",
    label: "WhatsApp",
    version_name: "2.24.1",
    version_code: 242101,
    verdict: "needs_review",
    score: 37,
    counterfeit: true,
    accessed: ["contacts", "messages"],
    transmitted: ["contacts"],
    trackers: ["AppsFlyer"],
    endpoints: [
      ["t.appsflyer-mirror.test", "IL"],
      ["mmg.whatsapp-cdn.test", "BR"],
    ],
  },
  {
    package: "com.fitpulse.tracker",
    label: "FitPulse",
    version_name: "3.1",
    version_code: 310,
    verdict: "no_leak_found",
    score: 21,
    counterfeit: false,
    accessed: ["health", "geolocation"],
    transmitted: [],
    trackers: ["Google Firebase Analytics"],
    endpoints: [["api.fitpulse.com", "US"]],
  },
].map((a) => ({ ...a, sha256: sha(a.package + a.version_code), status: "done", error: null, analysed_at: iso(600) }));
apps.push(
  {
    package: "com.acme.fieldapp",
    label: "Acme Field",
    version_name: "0.9",
    version_code: 9,
    sha256: sha("fieldapp"),
    status: "analysing",
    error: null,
    analysed_at: null,
    verdict: null,
    score: null,
    counterfeit: false,
    accessed: [],
    transmitted: [],
    trackers: [],
    endpoints: [],
  },
  {
    package: null,
    label: null,
    version_name: null,
    version_code: null,
    sha256: sha("broken"),
    status: "failed",
    error: "not an app: no AndroidManifest.xml and no classes.dex",
    analysed_at: null,
    verdict: null,
    score: null,
    counterfeit: false,
    accessed: [],
    transmitted: [],
    trackers: [],
    endpoints: [],
  },
);
if (args.includes("--empty")) apps.length = 0;
const bySha = new Map(apps.map((a) => [a.sha256, a]));
const byPackage = (p) => apps.find((a) => a.package === p);

const inventories = new Map([
  [
    "android-7f3a91",
    {
      last_seen: iso(3),
      apps: ["com.superflash.flashlight", "com.weatherly.app", "org.notepad.simple", "com.android.chrome"],
    },
  ],
  ["android-21c0de", { last_seen: iso(15), apps: ["com.weatherly.app", "org.notepad.simple", "com.fitpulse.tracker"] }],
  ["android-99b4e2", { last_seen: iso(42), apps: ["org.notepad.simple", "com.fitpulse.tracker"] }],
  ["android-5d11aa", { last_seen: iso(180), apps: ["com.chatwave.messenger", "com.whatsapp", "org.notepad.simple"] }],
  ["android-e0f7c3", { last_seen: iso(1440), apps: ["com.acme.internal.vpn"] }],
  ["android-3b8d54", { last_seen: iso(8), apps: ["com.fitpulse.tracker", "org.notepad.simple"] }],
]);
if (args.includes("--empty")) inventories.clear();

// ---------------------------------------------------------------- policy

const PACKS = ["baseline", "strict", "developer"];
const policies = []; // saved versions; none = baseline v0

function currentPolicy() {
  return (
    policies.at(-1) ?? {
      version: 0,
      pack: "baseline",
      rego: null,
      data: {},
      created_at: iso(60 * 24 * 30),
      created_by: "default",
    }
  );
}

/** A crude stand-in for compiling Rego: syntax errors with their line. */
function compile(rego) {
  const errors = [];
  const lines = rego.split("\n");
  const first = lines.findIndex((l) => l.trim() && !l.trim().startsWith("#"));
  if (first < 0 || !/^package\s+leakscope\b/.test(lines[first].trim())) {
    errors.push({
      file: "policy.rego",
      line: first < 0 ? 1 : first + 1,
      column: 1,
      message: "expected `package leakscope`",
    });
    return errors;
  }
  const stack = [];
  const pairs = { "}": "{", "]": "[", ")": "(" };
  lines.forEach((line, i) => {
    let inString = false;
    for (let c = 0; c < line.length; c++) {
      const ch = line[c];
      if (ch === '"' && line[c - 1] !== "\\") inString = !inString;
      if (inString) continue;
      if (ch === "#") break;
      if ("{[(".includes(ch)) stack.push({ ch, line: i + 1, column: c + 1 });
      else if (pairs[ch]) {
        const open = stack.pop();
        if (!open || open.ch !== pairs[ch])
          errors.push({ file: "policy.rego", line: i + 1, column: c + 1, message: `unexpected \`${ch}\`` });
      }
    }
    if (/(:=|==|!=)\s*$/.test(line.replace(/#.*$/, "")))
      errors.push({
        file: "policy.rego",
        line: i + 1,
        column: line.length,
        message: "expected an expression after the operator",
      });
  });
  for (const open of stack)
    errors.push({ file: "policy.rego", line: open.line, column: open.column, message: `unclosed \`${open.ch}\`` });
  return errors.slice(0, 5);
}

/** The decision and matched rules of `policy` for an analysed app. */
function evaluate(policy, app) {
  if (app.status !== "done") return null;
  const matches = [];
  if (app.counterfeit)
    matches.push({
      rule: "counterfeit.signer_mismatch",
      decision: "block",
      message: `signer differs from the one trusted for ${app.package}`,
    });
  if (policy.rego) {
    for (const m of policy.rego.matchAll(/(block|warn) contains m if \{([\s\S]*?)\n\}/g)) {
      const [, decision, rule] = m;
      const cat = /categories\.(\w+)\.transmitted/.exec(rule)?.[1];
      const name = /"rule":\s*"([^"]+)"/.exec(rule)?.[1] ?? `custom.${decision}`;
      if (cat && app.transmitted.includes(cat))
        matches.push({ rule: name, decision, message: `the app transmits ${cat} data` });
      if (/verdict == "leakware"/.test(rule) && app.verdict === "leakware")
        matches.push({ rule: name, decision, message: "leakscope's assessment is leakware" });
    }
  } else {
    const blocked =
      policy.pack === "strict"
        ? ["contacts", "messages", "audio", "geolocation", "device_ids"]
        : policy.pack === "developer"
          ? ["contacts", "messages"]
          : ["contacts", "messages", "audio"];
    for (const c of app.transmitted.filter((c) => blocked.includes(c)))
      matches.push({
        rule: `${policy.pack}.${c}_transmitted`,
        decision: "block",
        message: `the app transmits ${c} data (sinks: network)`,
      });
    if (app.trackers.length && app.accessed.includes("device_ids"))
      matches.push({
        rule: `${policy.pack}.tracker_device_ids`,
        decision: "block",
        message: `tracker ${app.trackers[0]} reads or receives device_ids`,
      });
    if (app.verdict === "leakware")
      matches.push({
        rule: `${policy.pack}.leakware_verdict`,
        decision: "warn",
        message: `leakscope's assessment is leakware (score ${app.score})`,
      });
    if (policy.pack === "strict" && app.trackers.length)
      matches.push({
        rule: "strict.trackers",
        decision: "warn",
        message: `the app embeds ${app.trackers.length} tracker SDK(s)`,
      });
  }
  const decision = matches.some((m) => m.decision === "block")
    ? "block"
    : matches.some((m) => m.decision === "warn")
      ? "warn"
      : "allow";
  return { decision, policy_version: policy.version, matches };
}

function devicesWith(pkg) {
  return [...inventories.values()].filter((inv) => inv.apps.includes(pkg)).length;
}

function summary(app) {
  const p = evaluate(currentPolicy(), app);
  return {
    sha256: app.sha256,
    package: app.package,
    label: app.label,
    version_name: app.version_name,
    version_code: app.version_code,
    status: app.status,
    error: app.error,
    decision: p?.decision ?? null,
    verdict: app.verdict,
    score: app.score,
    categories_accessed: app.accessed,
    categories_transmitted: app.transmitted,
    trackers: app.trackers,
    counterfeit: app.counterfeit,
    devices: app.package ? devicesWith(app.package) : 0,
    analysed_at: app.analysed_at,
  };
}

function compliance(id) {
  const inv = inventories.get(id);
  const verdicts = inv.apps.map((pkg) => {
    const app = byPackage(pkg);
    const p = app ? evaluate(currentPolicy(), app) : null;
    return {
      package: pkg,
      version_code: app?.version_code ?? null,
      sha256: app?.sha256 ?? null,
      decision: p?.decision ?? "unknown",
      reasons: p ? p.matches.map((m) => m.message) : [],
      upload_requested: !app,
      counterfeit: app?.counterfeit ?? false,
    };
  });
  const has = (d) => verdicts.some((v) => v.decision === d);
  const state = has("block") ? "non_compliant" : has("warn") ? "warn" : has("unknown") ? "pending" : "compliant";
  return { device_id: id, compliance: state, last_seen: inv.last_seen, apps: verdicts };
}

function overview() {
  const devs = [...inventories.keys()].map(compliance);
  const count = (c) => devs.filter((d) => d.compliance === c).length;
  const installed = apps.filter((a) => a.package && devicesWith(a.package) > 0);
  const cats = new Map();
  const countries = new Map();
  const trackers = new Map();
  for (const a of installed) {
    for (const c of a.transmitted) {
      const e = cats.get(c) ?? { category: c, apps: 0, devices: 0 };
      e.apps += 1;
      e.devices += devicesWith(a.package);
      cats.set(c, e);
    }
    for (const [, cc] of a.endpoints) {
      const e = countries.get(cc) ?? { country: cc, apps: new Set(), hosts: 0 };
      e.apps.add(a.sha256);
      e.hosts += 1;
      countries.set(cc, e);
    }
  }
  for (const a of apps) for (const t of a.trackers) trackers.set(t, (trackers.get(t) ?? 0) + 1);
  return {
    devices: {
      total: devs.length,
      compliant: count("compliant"),
      warn: count("warn"),
      non_compliant: count("non_compliant"),
      pending: count("pending"),
    },
    apps: {
      total: apps.length,
      analysed: apps.filter((a) => a.status === "done").length,
      pending: apps.filter((a) => a.status === "queued" || a.status === "analysing").length,
      failed: apps.filter((a) => a.status === "failed").length,
    },
    most_blocked: installed
      .filter((a) => evaluate(currentPolicy(), a)?.decision === "block")
      .map((a) => ({ sha256: a.sha256, package: a.package, label: a.label, devices: devicesWith(a.package) }))
      .sort((x, y) => y.devices - x.devices),
    categories_leaving: [...cats.values()].sort((x, y) => y.devices - x.devices),
    countries: [...countries.values()].map((c) => ({ country: c.country, apps: c.apps.size, hosts: c.hosts })),
    trackers: [...trackers].map(([name, n]) => ({ name, apps: n })).sort((x, y) => y.apps - x.apps),
  };
}

function reportJson(app) {
  return {
    schema_version: 1,
    app: {
      package: app.package,
      label: app.label,
      version_name: app.version_name,
      version_code: app.version_code,
      sha256: app.sha256,
    },
    assessment: {
      verdict: app.verdict,
      score: app.score,
      categories: Object.fromEntries(
        app.accessed.map((c) => [c, { accessed: true, transmitted: app.transmitted.includes(c) }]),
      ),
    },
    trackers: app.trackers.map((name) => ({ name })),
    endpoints: app.endpoints.map(([host, country]) => ({ host, country })),
  };
}

const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function reportHtml(app) {
  const rows = app.accessed
    .map(
      (c) =>
        `<tr><td>${esc(c)}</td><td>${app.transmitted.includes(c) ? '<b class="hot">transmitted</b>' : "read on the device"}</td></tr>`,
    )
    .join("");
  const hosts =
    app.endpoints.map(([h, cc]) => `<li><code>${esc(h)}</code> (${esc(cc)})</li>`).join("") || "<li>none</li>";
  return `<!doctype html><html><head><meta charset="utf-8"><title>leakscope report: ${esc(app.package)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#1e293b}h1{font-size:20px}table{border-collapse:collapse}td,th{border-bottom:1px solid #e2e8f0;padding:6px 12px;text-align:left}.hot{color:#dc2626}.v{display:inline-block;padding:4px 10px;border-radius:6px;background:#fee2e2;color:#991b1b;font-weight:700}</style></head>
<body><h1>${esc(app.label)} <small>${esc(app.package)} ${esc(app.version_name)}</small></h1>
<p><a href="#destinations">Where the data goes</a></p>
<p>Verdict: <span class="v">${esc(app.verdict)}</span> score ${esc(app.score)} / 100 (mock report from web/dev/mock-api.mjs)</p>
<h2>Data categories</h2><table><tr><th>category</th><th>what the app does</th></tr>${rows}</table>
<h2>Trackers</h2><p>${esc(app.trackers.join(", ") || "none")}</p><h2 id="destinations">Destinations</h2><ul>${hosts}</ul></body></html>`;
}

// ---------------------------------------------------------------- HTTP

class HttpError extends Error {
  constructor(status, code, message, details) {
    super(message);
    Object.assign(this, { status, code, details });
  }
}

const json = (res, status, body) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

async function readBody(req, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, "payload_too_large", `the body exceeds ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function readJson(req) {
  const body = await readBody(req, 2 * 1024 * 1024);
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (e) {
    throw new HttpError(400, "invalid_json", `the body is not valid JSON: ${e.message}`);
  }
}

function auth(req) {
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
  const who = m && tokens.get(m[1]);
  if (!who) throw new HttpError(401, "unauthorized", m ? "the token is invalid or revoked" : "missing bearer token");
  return who;
}

function requireRole(who, ...roles) {
  if (!roles.includes(who.role)) throw new HttpError(403, "forbidden", `this needs the role ${roles.join(" or ")}`);
}

function appOr404(id) {
  const app = bySha.get(id);
  if (!app) throw new HttpError(404, "not_found", "no such app");
  return app;
}

function policyBody(body) {
  if (body && typeof body.pack === "string") {
    if (!PACKS.includes(body.pack)) throw new HttpError(400, "bad_request", `unknown pack ${body.pack}`);
    return { pack: body.pack, rego: null, data: {} };
  }
  if (body && typeof body.rego === "string") {
    if (body.data !== undefined && (typeof body.data !== "object" || body.data === null || Array.isArray(body.data)))
      throw new HttpError(400, "bad_request", "data must be a JSON object");
    return { pack: null, rego: body.rego, data: body.data ?? {} };
  }
  throw new HttpError(400, "bad_request", 'expected {"pack": …} or {"rego": …, "data": {…}}');
}

async function api(req, res, path) {
  const method = req.method;
  if (path === "/health") return json(res, 200, { status: "ok", version: "0.1.0-mock" });
  const who = auth(req);
  if (who.role === "device" && path !== "/me" && !path.startsWith(`/devices/${who.device_id}/`))
    throw new HttpError(403, "forbidden", "a device token may only use its own device");
  let m;
  if (path === "/me" && method === "GET") return json(res, 200, { org: ORG, role: who.role, device_id: who.device_id });
  if (path === "/overview" && method === "GET") return json(res, 200, overview());
  if (path === "/apps" && method === "GET") return json(res, 200, { apps: apps.map(summary) });
  if (path === "/apps" && method === "POST") {
    const body = await readBody(req, 64 * 1024 * 1024);
    if (body.length === 0) throw new HttpError(400, "bad_request", "the upload is empty");
    const magic = body.subarray(0, 4).toString("latin1");
    if (magic !== "PK\x03\x04" && magic !== "dex\n")
      throw new HttpError(422, "not_an_app", "the upload is not an APK, DEX or bundle");
    const id = createHash("sha256").update(body).digest("hex");
    if (bySha.has(id)) return json(res, 202, { sha256: id, status: bySha.get(id).status, duplicate: true });
    const name = new URL(req.url, "http://x").searchParams.get("filename") ?? "upload.apk";
    const app = {
      package:
        "com.uploaded." +
        name
          .replace(/\.\w+$/, "")
          .replace(/[^a-z0-9]/gi, "")
          .toLowerCase(),
      label: name,
      version_name: "1.0",
      version_code: 1,
      sha256: id,
      status: "queued",
      error: null,
      analysed_at: null,
      verdict: null,
      score: null,
      counterfeit: false,
      accessed: [],
      transmitted: [],
      trackers: [],
      endpoints: [],
    };
    apps.push(app);
    bySha.set(id, app);
    setTimeout(() => (app.status = "analysing"), 1000);
    setTimeout(
      () =>
        Object.assign(app, {
          status: "done",
          analysed_at: new Date().toISOString(),
          verdict: "no_leak_found",
          score: 12,
          accessed: ["storage"],
        }),
      4000,
    );
    return json(res, 202, { sha256: id, status: "queued", duplicate: false });
  }
  if ((m = /^\/apps\/([0-9a-f]{64})$/.exec(path)) && method === "GET") {
    const app = appOr404(m[1]);
    const done = app.status === "done";
    const counterfeit = app.package
      ? {
          suspected: app.counterfeit,
          package: app.package,
          expected_signers: [sha("trusted-signer:" + app.package)],
          actual_signers: [sha((app.counterfeit ? "other-signer:" : "trusted-signer:") + app.package)],
          source: app.counterfeit ? "knowledge_base" : "fleet",
        }
      : null;
    return json(res, 200, {
      sha256: app.sha256,
      status: app.status,
      error: app.error,
      summary: summary(app),
      report: done ? reportJson(app) : null,
      policy: evaluate(currentPolicy(), app),
      counterfeit: done ? counterfeit : null,
    });
  }
  if ((m = /^\/apps\/([0-9a-f]{64})\/report\.(html|sarif)$/.exec(path)) && method === "GET") {
    const app = appOr404(m[1]);
    if (app.status !== "done") throw new HttpError(404, "not_found", "the app has no report yet");
    if (m[2] === "html") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      return res.end(REPORT_HTML ? await readFile(REPORT_HTML) : reportHtml(app));
    }
    return json(res, 200, {
      version: "2.1.0",
      $schema: "https://json.schemastore.org/sarif-2.1.0.json",
      runs: [
        {
          tool: { driver: { name: "leakscope" } },
          results: app.transmitted.map((c) => ({
            ruleId: `leak.${c}`,
            level: "error",
            message: { text: `${c} leaves the device` },
          })),
        },
      ],
    });
  }
  if (path === "/devices" && method === "GET") {
    return json(res, 200, {
      devices: [...inventories.keys()].map((id) => {
        const c = compliance(id);
        const n = (d) => c.apps.filter((a) => a.decision === d).length;
        return {
          device_id: id,
          compliance: c.compliance,
          last_seen: c.last_seen,
          apps: c.apps.length,
          blocked: n("block"),
          warned: n("warn"),
          unknown: n("unknown"),
        };
      }),
    });
  }
  if ((m = /^\/devices\/([^/]{1,128})\/compliance$/.exec(path)) && method === "GET") {
    const id = decodeURIComponent(m[1]);
    if (!inventories.has(id)) throw new HttpError(404, "not_found", "no such device");
    return json(res, 200, compliance(id));
  }
  if ((m = /^\/devices\/([^/]{1,128})\/inventory$/.exec(path)) && method === "POST") {
    const id = decodeURIComponent(m[1]);
    const body = await readJson(req);
    if (!body || !Array.isArray(body.apps)) throw new HttpError(400, "bad_request", 'expected {"apps": [...]}');
    if (body.apps.length > 5000) throw new HttpError(400, "bad_request", "at most 5,000 apps");
    const pkgs = [];
    for (const a of body.apps) {
      if (!a || typeof a.package !== "string") throw new HttpError(400, "bad_request", "every app needs a package");
      pkgs.push(a.package);
      if (typeof a.sha256 === "string") {
        const known = bySha.get(a.sha256);
        if (known && !known.package) known.package = a.package;
      }
    }
    inventories.set(id, { last_seen: new Date().toISOString(), apps: pkgs });
    const c = compliance(id);
    return json(res, 200, { device_id: id, compliance: c.compliance, apps: c.apps });
  }
  if (path === "/policy" && method === "GET") return json(res, 200, currentPolicy());
  if (path === "/policy/packs" && method === "GET") return json(res, 200, { packs: PACKS });
  if (path === "/policy/versions" && method === "GET")
    return json(res, 200, {
      versions: policies.map(({ version, pack, created_at, created_by }) => ({
        version,
        pack,
        created_at,
        created_by,
      })),
    });
  if (path === "/policy/validate" && method === "POST") {
    requireRole(who, "admin", "analyst");
    const proposed = policyBody(await readJson(req));
    const errors = proposed.rego ? compile(proposed.rego) : [];
    if (errors.length) return json(res, 200, { valid: false, errors, results: [] });
    const candidate = { ...proposed, version: currentPolicy().version + 1 };
    const results = apps
      .filter((a) => a.status === "done")
      .map((a) => ({
        sha256: a.sha256,
        package: a.package,
        label: a.label,
        current: evaluate(currentPolicy(), a).decision,
        proposed: evaluate(candidate, a).decision,
      }));
    return json(res, 200, { valid: true, errors: [], results });
  }
  if (path === "/policy" && method === "PUT") {
    requireRole(who, "admin");
    const proposed = policyBody(await readJson(req));
    const errors = proposed.rego ? compile(proposed.rego) : [];
    if (errors.length) throw new HttpError(422, "policy_invalid", errors[0].message, errors[0]);
    const version = currentPolicy().version + 1;
    policies.push({ version, ...proposed, created_at: new Date().toISOString(), created_by: who.label });
    return json(res, 200, { version, reevaluated: apps.filter((a) => a.status === "done").length });
  }
  throw new HttpError(404, "not_found", `no route ${method} /api/v1${path}`);
}

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
};

async function sendFile(res, file) {
  const body = await readFile(file);
  res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
  res.end(body);
}

async function isFile(p) {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

async function staticFile(res, path) {
  let rel = path;
  if (rel === "/api/docs" || rel === "/api/docs/") rel = "/api-docs/index.html";
  else if (rel.startsWith("/api/docs/")) rel = "/api-docs/" + rel.slice("/api/docs/".length);
  const file = normalize(join(DIST, decodeURIComponent(rel)));
  if (file.startsWith(DIST + "/") && (await isFile(file))) return sendFile(res, file);
  if (rel.startsWith("/assets/") || rel.startsWith("/api-docs/"))
    throw new HttpError(404, "not_found", "no such asset");
  return sendFile(res, join(DIST, "index.html"));
}

const OPENAPI = {
  openapi: "3.1.0",
  info: { title: "leakscope fleet API (mock)", version: "0.1.0" },
  components: { securitySchemes: { bearer: { type: "http", scheme: "bearer" } } },
  security: [{ bearer: [] }],
  paths: {
    "/api/v1/health": { get: { summary: "Health", security: [], responses: { 200: { description: "ok" } } } },
    "/api/v1/me": { get: { summary: "Who am I", responses: { 200: { description: "identity" } } } },
    "/api/v1/apps": { get: { summary: "List apps", responses: { 200: { description: "apps" } } } },
  },
};

const server = createServer(async (req, res) => {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  try {
    if (path === "/api/openapi.json") return json(res, 200, OPENAPI);
    if (path.startsWith("/api/v1/") || path === "/api/v1") return await api(req, res, path.slice("/api/v1".length));
    if (path.startsWith("/api/") && !path.startsWith("/api/docs"))
      throw new HttpError(404, "not_found", "no such route");
    return await staticFile(res, path);
  } catch (e) {
    const err = e instanceof HttpError ? e : new HttpError(500, "internal", "internal error");
    if (!(e instanceof HttpError)) console.error(e);
    if (!res.headersSent)
      json(res, err.status, {
        error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
      });
    else res.end();
  }
});

server.listen(PORT, "127.0.0.1", () => {
  const { port } = server.address();
  process.stderr.write(
    `admin token: ${ADMIN_TOKEN}\nanalyst token: ${ANALYST_TOKEN}\ndevice token (android-7f3a91): ${DEVICE_TOKEN}\n`,
  );
  process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
