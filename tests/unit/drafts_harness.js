// Runs static/js/drafts.js in a stand-in DOM for tests/unit/test_drafts_script.py.
const fs = require("fs");
const source = fs.readFileSync(process.argv[2], "utf8");
const stored = new Map();
const localStorage = {
  getItem: (k) => (stored.has(k) ? stored.get(k) : null),
  setItem: (k, v) => stored.set(k, String(v)),
  removeItem: (k) => stored.delete(k),
};
function node(tag, attrs) {
  const listeners = {};
  const el = {
    tagName: tag.toUpperCase(), attrs: Object.assign({}, attrs || {}), children: [],
    parentNode: null, name: "", type: "", value: "", checked: false, disabled: false,
    getAttribute(n) { return n in this.attrs ? this.attrs[n] : null; },
    hasAttribute(n) { return n in this.attrs; },
    setAttribute(n, v) { this.attrs[n] = String(v); },
    addEventListener(n, f) { (listeners[n] = listeners[n] || []).push(f); },
    fire(n) { (listeners[n] || []).forEach((f) => f({ preventDefault() {} })); },
    appendChild(c) { c.parentNode = this; this.children.push(c); },
    insertBefore(c, ref) { c.parentNode = this; this.children.splice(this.children.indexOf(ref), 0, c); },
    removeChild(c) { this.children.splice(this.children.indexOf(c), 1); c.parentNode = null; },
  };
  return el;
}
function field(tag, name, type, value, checked) {
  const el = node(tag); el.name = name; el.type = type || ""; el.value = value || "";
  el.checked = Boolean(checked); el.defaultValue = el.value; return el;
}
function load(page) {
  const body = node("body");
  const form = node("form", Object.assign({
    "data-draft-key": "verhaal:test",
    "data-draft-restored": "We hebben je concept teruggezet.",
    "data-draft-discard": "Concept weggooien",
  }, page.formAttrs || {}));
  body.appendChild(form);
  form.elements = [
    field("input", "csrf_token", "hidden", "geheim"),
    field("input", "title", "text", page.title || ""),
    field("textarea", "body", "", page.body || ""),
    field("input", "warnings", "checkbox", "violence", page.violence),
  ];
  const markers = (page.clear || []).map((k) => node("span", { "data-clear-draft": k }));
  const timers = [];
  const pagehide = [];
  const window = {
    localStorage,
    setTimeout: (f) => { timers.push(f); return timers.length; },
    clearTimeout: () => {},
    addEventListener: (n, f) => { if (n === "pagehide") { pagehide.push(f); } },
  };
  const document = {
    createElement: (t) => node(t),
    querySelectorAll: (s) => (s === "[data-clear-draft]" ? markers : s === "form[data-draft-key]" ? [form] : []),
  };
  new Function("window", "document", source)(window, document);
  return {
    form, body,
    type(name, value) { const el = form.elements.find((e) => e.name === name); if (el.type === "checkbox") { el.checked = value; } else { el.value = value; } form.fire("input"); timers.splice(0).forEach((f) => f()); },
    leave() { pagehide.forEach((f) => f()); },
    value(name) { const el = form.elements.find((e) => e.name === name); return el.type === "checkbox" ? el.checked : el.value; },
    notice() { const n = body.children.find((c) => c !== form); return n ? n.children.map((c) => c.textContent) : null; },
    discard() { body.children.find((c) => c !== form).children[1].fire("click"); },
  };
}
const out = {};
let page = load({});
page.type("title", "Na het ongeluk");
page.type("body", "Twee uur schrijven.");
page.type("warnings", true);
out.saved = JSON.parse(localStorage.getItem("concept:verhaal:test")).values;
page = load({});
out.restored = [page.value("title"), page.value("body"), page.value("warnings"), page.notice()];
page.discard();
out.afterDiscard = [page.value("body"), localStorage.getItem("concept:verhaal:test"), page.notice()];
page = load({}); page.type("body", "Opnieuw begonnen."); page.leave();
page = load({ formAttrs: { "data-draft-fresh": "" }, body: "Wat de server terugstuurde." });
out.fresh = [page.value("body"), page.notice(), JSON.parse(localStorage.getItem("concept:verhaal:test")).values.body];
load({ clear: ["verhaal:test"] });
out.cleared = localStorage.getItem("concept:verhaal:test");
process.stdout.write(JSON.stringify(out));
