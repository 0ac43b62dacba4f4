// Entry point: the app shell (sidebar, top bar), sign-in state, routing.
import "./style.css";
import { describeError, getJson, setUnauthorizedHandler } from "./api";
import { h, replace } from "./dom";
import { appPage } from "./pages/app";
import { appsPage } from "./pages/apps";
import { devicePage } from "./pages/device";
import { devicesPage } from "./pages/devices";
import { loginPage } from "./pages/login";
import { overviewPage } from "./pages/overview";
import { policyPage } from "./pages/policy";
import { match, navigate, route, startRouter } from "./router";
import { clearToken, getToken } from "./session";
import type { Me } from "./types";

route("/", "overview", overviewPage);
route("/apps", "apps", appsPage);
route("/apps/:sha", "apps", appPage);
route("/devices", "devices", devicesPage);
route("/devices/:id", "devices", devicePage);
route("/policy", "policy", policyPage);

const NAV: Array<[string, string, string]> = [
  ["overview", "/", "Overview"],
  ["apps", "/apps", "Apps"],
  ["devices", "/devices", "Devices"],
  ["policy", "/policy", "Policy"],
];

const app = document.getElementById("app") as HTMLElement;
let me: Me | null = null;
let cleanup: (() => void) | void = undefined;
let renderCount = 0;

/** Where to go after sign-in (the deep link the user opened). */
let afterLogin = "/";

setUnauthorizedHandler((message) => {
  me = null;
  afterLogin = location.pathname === "/login" ? "/" : location.pathname;
  showLogin(`Signed out: ${message}`);
});

function showLogin(notice = ""): void {
  leavePage();
  if (location.pathname !== "/login") history.replaceState(null, "", "/login");
  loginPage(app, notice, (who) => {
    me = who;
    navigate(afterLogin === "/login" ? "/" : afterLogin, true);
  });
}

function leavePage(): void {
  if (typeof cleanup === "function") cleanup();
  cleanup = undefined;
}

/** The sidebar + top bar around `content`. */
function shell(active: string, content: HTMLElement, who: Me): HTMLElement {
  return h(
    "div",
    { class: "shell" },
    h(
      "nav",
      { class: "sidebar", "aria-label": "Main" },
      h("a", { class: "brand", href: "/" }, h("span", { class: "brand-mark" }, "◆"), "leakscope"),
      h("div", { class: "brand-sub" }, "Fleet privacy"),
      h(
        "ul",
        {},
        NAV.map(([key, href, text]) =>
          h("li", {}, h("a", { href, class: key === active ? "active" : "", "data-nav": key }, text)),
        ),
      ),
      h(
        "div",
        { class: "sidebar-foot" },
        h("a", { href: "/api/docs", target: "_blank", rel: "noopener" }, "API docs ↗"),
      ),
    ),
    h(
      "div",
      { class: "main" },
      h(
        "header",
        { class: "topbar" },
        h(
          "div",
          { class: "org" },
          h("span", { class: "org-name", "data-testid": "org-name" }, who.org.name),
          h("span", { class: `role role-${who.role}` }, who.role),
        ),
        h("button", { class: "btn btn-ghost", "data-testid": "logout", onclick: logout }, "Sign out"),
      ),
      content,
    ),
  );
}

function logout(): void {
  clearToken();
  me = null;
  afterLogin = "/";
  showLogin("You are signed out.");
}

async function render(): Promise<void> {
  const run = ++renderCount;
  if (!getToken()) {
    if (location.pathname !== "/login") afterLogin = location.pathname + location.search;
    showLogin();
    return;
  }
  if (location.pathname === "/login") {
    navigate("/", true);
    return;
  }
  if (!me) {
    try {
      me = await getJson<Me>("/me");
    } catch (e) {
      if (getToken()) showLogin(describeError(e));
      return;
    }
  }
  if (run !== renderCount) return;
  leavePage();
  const found = match(location.pathname);
  const content = h("main", { class: "content" });
  replace(app, shell(found?.nav ?? "", content, me));
  if (me.role === "device") {
    replace(
      content,
      h(
        "div",
        { class: "notice notice-error" },
        "This is a device token: it may only submit its device's inventory. Sign in with an admin or analyst token to use the dashboard.",
      ),
    );
    return;
  }
  if (!found) {
    replace(
      content,
      h(
        "div",
        { class: "empty" },
        h("h1", {}, "Page not found"),
        h("p", {}, h("a", { href: "/" }, "Back to the overview")),
      ),
    );
    return;
  }
  try {
    const done = await found.page(content, found.params);
    // The user moved on while the page loaded: release what it set up.
    if (run !== renderCount) {
      if (typeof done === "function") done();
    } else {
      cleanup = done;
    }
  } catch (e) {
    if (run === renderCount && getToken())
      replace(content, h("div", { class: "notice notice-error", role: "alert" }, describeError(e)));
  }
}

startRouter(() => void render());
void render();
