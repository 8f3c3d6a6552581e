// Never lose a story: keep what someone types in a writing form on this device, give it
// back when they return, and forget it once the server has saved it.
// Forms opt in with data-draft-key; a page after a successful save carries
// data-clear-draft="<key>". Everything works without this script; it only adds safety.
(function () {
  "use strict";
  var PREFIX = "concept:";
  var MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

  function storage() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (error) {
      return null; // private mode or storage switched off: the form still works
    }
  }

  var store = storage();
  if (!store) { return; }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      if (!element.name || element.name === "csrf_token" || element.disabled) { return false; }
      var tag = element.tagName.toLowerCase();
      return tag === "textarea" || tag === "select" ||
        (tag === "input" && /^(text|checkbox|radio)$/.test(element.type));
    });
  }

  function idOf(element) {
    return element.type === "checkbox" || element.type === "radio"
      ? element.name + "=" + element.value : element.name;
  }

  function read(form) {
    var values = {};
    fields(form).forEach(function (element) {
      values[idOf(element)] = (element.type === "checkbox" || element.type === "radio")
        ? element.checked : element.value;
    });
    return values;
  }

  function write(form, values) {
    fields(form).forEach(function (element) {
      var id = idOf(element);
      if (!Object.prototype.hasOwnProperty.call(values, id)) { return; }
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = Boolean(values[id]);
      } else {
        element.value = String(values[id]);
      }
    });
  }

  function same(a, b) {
    return Object.keys(a).every(function (id) { return a[id] === b[id]; });
  }

  function hasText(values) {
    return Object.keys(values).some(function (id) {
      return typeof values[id] === "string" && values[id].trim() !== "";
    });
  }

  function load(key) {
    try {
      var saved = JSON.parse(store.getItem(PREFIX + key) || "null");
      if (!saved || !saved.values || Date.now() - saved.savedAt > MAX_AGE_MS) { return null; }
      return saved.values;
    } catch (error) {
      return null;
    }
  }

  function save(key, form, original) {
    var values = read(form);
    try {
      if (same(values, original) || !hasText(values)) {
        store.removeItem(PREFIX + key);
      } else {
        store.setItem(PREFIX + key, JSON.stringify({ savedAt: Date.now(), values: values }));
      }
    } catch (error) {
      // storage full: nothing to do but keep the text in the form
    }
  }

  function notice(form, key, original) {
    var box = document.createElement("div");
    box.className = "flash flash-info";
    box.setAttribute("role", "status");
    var text = document.createElement("p");
    text.textContent = form.getAttribute("data-draft-restored");
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button button-secondary button-small";
    discard.textContent = form.getAttribute("data-draft-discard");
    discard.addEventListener("click", function () {
      store.removeItem(PREFIX + key);
      write(form, original);
      box.parentNode.removeChild(box);
    });
    box.appendChild(text);
    box.appendChild(discard);
    form.parentNode.insertBefore(box, form);
  }

  function start(form) {
    var key = form.getAttribute("data-draft-key");
    var original = read(form);
    var saved = load(key);
    // A form the server sent back after a failure holds the newest text: keep that one.
    if (saved && !form.hasAttribute("data-draft-fresh") && !same(saved, original)) {
      write(form, saved);
      notice(form, key, original);
    }
    var timer = null;
    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { save(key, form, original); }, 400);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    window.addEventListener("pagehide", function () { save(key, form, original); });
    if (form.hasAttribute("data-draft-fresh")) { save(key, form, {}); }
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-clear-draft]"), function (marker) {
    store.removeItem(PREFIX + marker.getAttribute("data-clear-draft"));
  });
  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft-key]"), start);
}());
