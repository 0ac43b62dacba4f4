// Sign-in: paste an API token; it is checked with GET /api/v1/me.
import { describeError, getJson } from "../api";
import { h, replace } from "../dom";
import { setToken } from "../session";
import type { Me } from "../types";

/** Shows the sign-in form; calls `done` with the identity once the token works. */
export function loginPage(root: HTMLElement, notice: string, done: (me: Me) => void): void {
  const input = h("input", {
    id: "token",
    type: "password",
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "lsk_…",
    "aria-label": "API token",
    required: true,
  });
  const message = h("div", { class: notice ? "notice" : "notice hidden", role: "status" }, notice);
  const button = h("button", { class: "btn btn-primary", type: "submit" }, "Sign in");
  const form = h(
    "form",
    { class: "login-card", "data-testid": "login" },
    h("div", { class: "brand login-brand" }, h("span", { class: "brand-mark" }, "◆"), "leakscope"),
    h(
      "p",
      { class: "muted" },
      "Fleet privacy dashboard. Sign in with an API token of your organization (admin or analyst).",
    ),
    h("label", { for: "token" }, "API token"),
    input,
    message,
    button,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    button.disabled = true;
    message.className = "notice";
    message.textContent = "Checking the token…";
    try {
      const me = await getJson<Me>("/me", token);
      setToken(token);
      done(me);
    } catch (e) {
      message.className = "notice notice-error";
      message.textContent = describeError(e);
      button.disabled = false;
    }
  });
  replace(root, h("div", { class: "login" }, form));
  input.focus();
}
