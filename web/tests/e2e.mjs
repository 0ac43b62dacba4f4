#!/usr/bin/env node
// Browser test of the dashboard: Debian's Chromium driven by playwright-core.
//
// Environment:
//   LEAKSCOPE_URL        base URL of a running server (or web/dev/mock-api.mjs)
//   LEAKSCOPE_TOKEN      an admin token of its organization
//   LEAKSCOPE_APP_SHA    app to open (default: the first analysed app of the list)
//   LEAKSCOPE_ARTIFACTS  where screenshots go (default target/test-artifacts)
//   LEAKSCOPE_CHROMIUM   browser binary (default /usr/bin/chromium)
//   LEAKSCOPE_SAVE_POLICY=1  also saves the validated policy (changes the server's state)
//   LEAKSCOPE_UPLOAD     file to upload through the Apps page (default demo/flashlight.apk
//                        when it exists; with the real server it is usually a duplicate)
//
// Signs in with the token, then checks real content on the overview, the apps
// list, an app report, the devices list, a device page and the policy editor
// (an invalid policy shows its error line; a valid one shows the per-app
// results). Exits 1 on any failed check or browser console error.

import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const BASE = (process.env.LEAKSCOPE_URL ?? "").replace(/\/+$/, "");
const TOKEN = process.env.LEAKSCOPE_TOKEN ?? "";
const ARTIFACTS = resolve(process.env.LEAKSCOPE_ARTIFACTS ?? "target/test-artifacts");
const CHROMIUM = process.env.LEAKSCOPE_CHROMIUM ?? "/usr/bin/chromium";
const TIMEOUT = 15000;

if (!BASE || !TOKEN) {
  console.error("e2e: set LEAKSCOPE_URL and LEAKSCOPE_TOKEN");
  process.exit(2);
}
mkdirSync(ARTIFACTS, { recursive: true });

const failures = [];
const consoleErrors = [];
let step = "start";

/** Records a failed check (the run goes on, to collect every failure). */
function check(condition, message) {
  if (condition) console.log(`  ok    ${message}`);
  else {
    console.log(`  FAIL  ${message}`);
    failures.push(`${step}: ${message}`);
  }
}

async function shot(page, name) {
  const file = join(ARTIFACTS, `dashboard-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`  shot  ${file}`);
}

/** Waits for `selector` (visible, or only `attached` for SVG parts) and returns whether it appeared. */
async function appears(page, selector, timeout = TIMEOUT, state = "visible") {
  try {
    await page.waitForSelector(selector, { timeout, state });
    return true;
  } catch {
    return false;
  }
}

const INVALID_POLICY = `package leakscope

import rego.v1

block contains m if {
	input.assessment.verdict == "leakware"
	m := {"rule": "custom.broken", "message": "unclosed"
}
`;

const VALID_POLICY = `package leakscope

import rego.v1

# Block apps that send the device location anywhere.
block contains m if {
	input.assessment.categories.geolocation.transmitted == true
	m := {"rule": "e2e.geolocation_transmitted", "message": "the app transmits the device location"}
}
`;

// playwright-core gives every launch a fresh, empty profile directory.
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

try {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on("console", (msg) => {
    // Expected HTTP errors, which Chromium logs as console errors: the
    // wrong-token sign-in (401) and an invalid policy if the server answers
    // its validation with 422 policy_invalid instead of {"valid": false}.
    if ((step === "login" || step === "expired") && msg.text().includes("status of 401")) return;
    if (step === "policy-invalid" && msg.text().includes("status of 422")) return;
    if (msg.type() === "error") consoleErrors.push(`${step}: ${msg.text()}`);
  });
  page.on("pageerror", (err) => consoleErrors.push(`${step}: uncaught ${err.stack ?? err.message}`));

  // ---- login
  step = "login";
  console.log("login");
  await page.goto(`${BASE}/`);
  check(await appears(page, "[data-testid=login]"), "signed out: the login form is shown");
  await page.fill("#token", "lsk_not_a_valid_token");
  await page.click("button[type=submit]");
  check(await appears(page, ".login-card .notice-error"), "a wrong token shows an error");
  await shot(page, "login");
  await page.fill("#token", TOKEN);
  await page.click("button[type=submit]");
  check(await appears(page, "[data-testid=org-name]"), "the token signs in");
  const org = (await page.textContent("[data-testid=org-name]").catch(() => "")) ?? "";
  check(org.trim().length > 0, `the organization name is shown (${org.trim()})`);

  // ---- overview
  step = "overview";
  console.log("overview");
  check(await appears(page, "[data-testid=kpi-devices] .kpi-value"), "the device count is shown");
  const devicesKpi = (await page.textContent("[data-testid=kpi-devices] .kpi-value")) ?? "";
  check(/^\d+$/.test(devicesKpi.trim()), `the device count is a number (${devicesKpi.trim()})`);
  check(await appears(page, "[data-testid=world-map] svg path", TIMEOUT, "attached"), "the world map is drawn");
  // ECharts animates in; wait for all countries.
  await page
    .waitForFunction(() => document.querySelectorAll("[data-testid=world-map] svg path").length > 150, null, {
      timeout: TIMEOUT,
    })
    .catch(() => {});
  const paths = await page.locator("[data-testid=world-map] svg path").count();
  check(paths > 150, `the map has country paths (${paths})`);
  if (Number(devicesKpi) > 0)
    check(
      await appears(page, "[data-testid=compliance-chart] svg path", TIMEOUT, "attached"),
      "the compliance donut is drawn",
    );
  await page.waitForTimeout(1200); // let the chart animations finish before the screenshot
  await shot(page, "overview");

  // ---- apps list
  step = "apps";
  console.log("apps");
  await page.click("[data-nav=apps]");
  check(await appears(page, "[data-testid=apps-table] tbody tr[data-sha]"), "the apps table has rows");
  const rows = await page.locator("[data-testid=apps-table] tbody tr[data-sha]").count();
  check(rows > 0, `${rows} app rows`);
  const badges = await page
    .locator(
      "[data-testid=apps-table] .badge[data-decision=allow], [data-testid=apps-table] .badge[data-decision=warn], [data-testid=apps-table] .badge[data-decision=block]",
    )
    .count();
  check(badges > 0, `verdict badges are shown (${badges})`);
  await shot(page, "apps");

  const upload = resolve(process.env.LEAKSCOPE_UPLOAD ?? "demo/flashlight.apk");
  if (existsSync(upload)) {
    await page.setInputFiles("[data-testid=upload-input]", upload);
    check(
      await appears(page, ".notice.notice-ok"),
      `uploading ${upload.split("/").pop()} from the Apps page is accepted`,
    );
  }

  // The app to open: the given one, or the first analysed one.
  let sha = process.env.LEAKSCOPE_APP_SHA ?? "";
  if (!sha) {
    sha =
      (await page.evaluate(() => {
        const row = [...document.querySelectorAll("[data-testid=apps-table] tbody tr[data-sha]")].find((r) =>
          r.querySelector(".status-done"),
        );
        return row?.getAttribute("data-sha") ?? "";
      })) ?? "";
  }
  check(/^[0-9a-f]{64}$/.test(sha), `an analysed app to open (${sha.slice(0, 12)})`);
  const pkgInList = sha
    ? ((await page.textContent(`tr[data-sha="${sha}"] .pkg`).catch(() => "")) ?? "").split("·")[0].trim()
    : "";

  // ---- app report
  step = "app";
  console.log("app report");
  await page.goto(`${BASE}/apps/${sha}`); // a deep link: also checks the server's index.html fallback
  check(await appears(page, "[data-testid=app-package]"), "the app page loads from a deep link");
  const pkg = ((await page.textContent("[data-testid=app-package]").catch(() => "")) ?? "").trim();
  check(pkg.length > 0 && (!pkgInList || pkg.startsWith(pkgInList)), `the package name is shown (${pkg})`);
  check(
    await appears(page, "[data-testid=policy-decision] .badge[data-decision]"),
    "the policy decision badge is shown",
  );
  check(await appears(page, "[data-testid=report-frame]"), "the report frame is there");
  const frame = page.frameLocator("[data-testid=report-frame]");
  const packageName = pkg.split(/\s|·/)[0];
  let frameText = "";
  try {
    await frame.locator("body").waitFor({ timeout: TIMEOUT });
    await page.waitForFunction(
      () => (document.querySelector("[data-testid=report-frame]")?.getAttribute("srcdoc") ?? "").length > 0,
      null,
      { timeout: TIMEOUT },
    );
    frameText = (await frame.locator("body").textContent()) ?? "";
  } catch (e) {
    frameText = "";
  }
  check(
    packageName.length > 0 && frameText.includes(packageName),
    `the HTML report names the package (${packageName})`,
  );
  // In-report links (#fragment) must scroll to their target, not load the
  // dashboard into the frame (a srcdoc frame has the dashboard's base URL).
  if ((await frame.locator('a[href^="#"]').count()) > 0) {
    await frame.locator('a[href^="#"]').first().click();
    await page.waitForTimeout(500);
    const after =
      (await frame
        .locator("body")
        .textContent()
        .catch(() => "")) ?? "";
    check(after.includes(packageName), "an in-report #link keeps the report in the frame");
  }
  const sandbox = await page.getAttribute("[data-testid=report-frame]", "sandbox", { timeout: 2000 }).catch(() => null);
  check(sandbox !== null && !sandbox.includes("allow-scripts"), "the report frame is sandboxed without scripts");
  await shot(page, "app");

  // ---- devices
  step = "devices";
  console.log("devices");
  await page.click("[data-nav=devices]");
  check(await appears(page, "[data-testid=devices-table] tbody tr[data-device]"), "the devices table has rows");
  check(
    (await page.locator("[data-testid=devices-table] .badge[data-compliance]").count()) > 0,
    "compliance badges are shown",
  );
  await shot(page, "devices");
  const deviceId = await page
    .getAttribute("[data-testid=devices-table] tbody tr[data-device]", "data-device")
    .catch(() => null);
  check(!!deviceId, `a device to open (${deviceId})`);
  if (deviceId) {
    await page.click(`tr[data-device="${deviceId}"] a`);
    check(await appears(page, "[data-testid=device-title]"), "the device page loads");
    const title = (await page.textContent("[data-testid=device-title]")) ?? "";
    check(title.includes(deviceId), "the device page names the device");
    check(
      await appears(page, "[data-testid=device-apps] .badge[data-decision]"),
      "the device's apps have decision badges",
    );
    await shot(page, "device");
  }

  // ---- policy editor
  step = "policy";
  console.log("policy");
  await page.click("[data-nav=policy]");
  check(await appears(page, "[data-testid=policy-current] .version-pill"), "the current policy version is shown");
  await page.click("[data-testid=mode-rego]");
  await page.fill("[data-testid=rego-editor]", INVALID_POLICY);
  step = "policy-invalid";
  check(await page.isDisabled("[data-testid=save]"), "Save is disabled before validation");
  await page.click("[data-testid=validate]");
  check(await appears(page, "[data-testid=policy-errors] li"), "an invalid policy shows errors");
  const errorLine = await page.getAttribute("[data-testid=policy-errors] [data-line]", "data-line").catch(() => null);
  check(errorLine !== null && Number(errorLine) >= 5, `the error has a line (${errorLine})`);
  check(
    errorLine !== null && (await page.locator(`.gutter .ln-error[data-line="${errorLine}"]`).count()) === 1,
    "the error line is marked in the editor",
  );
  check(await page.isDisabled("[data-testid=save]"), "Save stays disabled for an invalid policy");
  await shot(page, "policy-invalid");
  step = "policy";

  await page.fill("[data-testid=rego-editor]", VALID_POLICY);
  await page.click("[data-testid=validate]");
  check(await appears(page, "[data-testid=validation-status].status-ok"), "a valid policy validates");
  check((await page.locator(".gutter .ln-error").count()) === 0, "no error line is marked any more");
  const results = await page.locator("[data-testid=validation-results] tbody tr").count();
  check(results > 0, `per-app results are shown (${results})`);
  check(!(await page.isDisabled("[data-testid=save]")), "Save is enabled after a successful validation");
  await page.fill("[data-testid=rego-editor]", VALID_POLICY + "\n# edited\n");
  check(await page.isDisabled("[data-testid=save]"), "editing after validation disables Save again");
  if (process.env.LEAKSCOPE_SAVE_POLICY === "1") {
    await page.fill("[data-testid=rego-editor]", VALID_POLICY);
    await page.click("[data-testid=validate]");
    await appears(page, "[data-testid=validation-status].status-ok");
    await page.click("[data-testid=save]");
    check(await appears(page, "[data-testid=policy-versions] tbody tr"), "the saved version appears in the history");
  } else {
    await page.fill("[data-testid=rego-editor]", VALID_POLICY);
    await page.click("[data-testid=validate]");
    await appears(page, "[data-testid=validation-status].status-ok");
  }
  await shot(page, "policy-valid");

  // ---- API docs (swagger-ui, bundled) reading /api/openapi.json
  step = "api-docs";
  console.log("api docs");
  const docs = await context.newPage();
  docs.on("console", (msg) => msg.type() === "error" && consoleErrors.push(`${step}: ${msg.text()}`));
  docs.on("pageerror", (err) => consoleErrors.push(`${step}: uncaught ${err.message}`));
  await docs.goto(`${BASE}/api/docs`);
  check(await appears(docs, ".swagger-ui .opblock"), "/api/docs renders the OpenAPI operations");
  await docs.close();

  // ---- a token that stops working (revoked) sends the user back to sign-in
  step = "expired";
  console.log("expired token");
  await page.evaluate(() => sessionStorage.setItem("leakscope.token", "lsk_revoked"));
  await page.goto(`${BASE}/devices`);
  check(
    await appears(page, "[data-testid=login] .notice"),
    "a rejected token returns to the sign-in page with a notice",
  );
  await page.fill("#token", TOKEN);
  await page.click("button[type=submit]");
  check(await appears(page, "[data-testid=devices-table]"), "signing in again returns to the page that was asked for");

  // ---- sign out
  step = "logout";
  await page.click("[data-testid=logout]");
  check(await appears(page, "[data-testid=login]"), "signing out returns to the login form");
} catch (e) {
  failures.push(`${step}: ${e instanceof Error ? e.message : String(e)}`);
} finally {
  await browser.close();
}

for (const e of consoleErrors) failures.push(`console error in ${e}`);
if (failures.length) {
  console.error(`\ne2e: ${failures.length} failure(s):`);
  for (const f of failures) console.error(`  - ${f}`);
  process.exit(1);
}
console.log("\ne2e: all checks passed");
