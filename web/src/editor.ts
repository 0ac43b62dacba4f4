// A plain code editor: a textarea with a line-number gutter that can mark
// lines with errors. Enough for policies of a few hundred lines.
import { h } from "./dom";

/** The editor's element and controls. */
export interface CodeEditor {
  element: HTMLElement;
  textarea: HTMLTextAreaElement;
  /** Marks lines (1-based) with an error message; an empty map clears. */
  markErrors(errors: Map<number, string>): void;
  /** Moves the caret to the start of `line` and scrolls it into view. */
  goToLine(line: number): void;
}

/** Creates an editor holding `text`; `onInput` runs after each edit. */
export function codeEditor(text: string, label: string, onInput: () => void, testid: string): CodeEditor {
  const gutterLines = h("div", { class: "gutter-lines" });
  const gutter = h("div", { class: "gutter", "aria-hidden": "true" }, gutterLines);
  const textarea = h("textarea", {
    class: "code",
    spellcheck: "false",
    wrap: "off",
    autocapitalize: "off",
    "aria-label": label,
    "data-testid": testid,
  });
  textarea.value = text;
  let errors = new Map<number, string>();

  function drawGutter(): void {
    const count = textarea.value.split("\n").length;
    const fragment = document.createDocumentFragment();
    for (let i = 1; i <= count; i++) {
      const message = errors.get(i);
      fragment.appendChild(
        h("div", { class: message ? "ln ln-error" : "ln", title: message ?? null, "data-line": i }, String(i)),
      );
    }
    gutterLines.replaceChildren(fragment);
    syncScroll();
  }

  function syncScroll(): void {
    gutterLines.style.transform = `translateY(${-textarea.scrollTop}px)`;
  }

  textarea.addEventListener("scroll", syncScroll);
  textarea.addEventListener("input", () => {
    drawGutter();
    onInput();
  });
  textarea.addEventListener("keydown", (event) => {
    if (event.key !== "Tab" || event.shiftKey) return;
    event.preventDefault();
    textarea.setRangeText("\t", textarea.selectionStart, textarea.selectionEnd, "end");
    textarea.dispatchEvent(new Event("input"));
  });
  drawGutter();

  return {
    element: h("div", { class: "editor" }, gutter, textarea),
    textarea,
    markErrors(next) {
      errors = next;
      drawGutter();
    },
    goToLine(line) {
      const lines = textarea.value.split("\n");
      const offset = lines.slice(0, Math.max(0, line - 1)).reduce((n, l) => n + l.length + 1, 0);
      textarea.focus();
      textarea.setSelectionRange(offset, offset);
      const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 18;
      textarea.scrollTop = Math.max(0, (line - 4) * lineHeight);
    },
  };
}
