// A live community: new replies, reaction counts, the notification bell and the staff queues
// update while the page is open. Pages ask for it with data-live on <body> (members on every
// page, for their bell; visitors only on pages of public groups) and name their rooms in
// data-live-rooms. Everything works without this script: it only saves a reload.
// Events carry ids and counts only; the page fetches what changed over HTTP with its own
// session, so it shows exactly what a reload would. After a reconnect it fetches what it
// missed the same way.
(function () {
  "use strict";
  var body = document.body;
  if (!body || !body.hasAttribute("data-live") || !window.io || !window.fetch ||
      !window.DOMParser) {
    return;
  }

  var rooms = (body.getAttribute("data-live-rooms") || "").split(/\s+/).filter(Boolean);
  var announcer = document.querySelector("[data-live-announce]");

  function announce(text) {
    if (announcer && text) {
      announcer.textContent = "";
      window.setTimeout(function () { announcer.textContent = text; }, 50);
    }
  }

  function getPage(url) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "text/html" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.text();
    }).then(function (html) {
      return new DOMParser().parseFromString(html, "text/html");
    });
  }

  // --- replies on a story page -----------------------------------------------------------
  var thread = document.querySelector("[data-live-replies]");

  function mergeReplies(fetched) {
    var list = document.getElementById("reactielijst");
    var fresh = fetched.getElementById("reactielijst");
    if (!list || !fresh) { return; }
    var added = 0;
    var previous = null;
    Array.prototype.forEach.call(fresh.children, function (item) {
      var present = item.id ? document.getElementById(item.id) : null;
      if (present) {
        previous = present;
        return;
      }
      var copy = document.importNode(item, true);
      list.insertBefore(copy, previous ? previous.nextSibling : list.firstChild);
      previous = copy;
      added += 1;
    });
    var heading = document.getElementById("reacties-titel");
    if (heading && fresh.getAttribute("data-heading")) {
      heading.textContent = fresh.getAttribute("data-heading");
    }
    if (added && list.children.length) {
      var waiting = thread.querySelector(".no-reply-yet");
      if (waiting && waiting.parentNode) { waiting.parentNode.hidden = true; }
      announce(fresh.getAttribute("data-heading"));
    }
  }

  function refreshReplies() {
    if (!thread) { return; }
    getPage(thread.getAttribute("data-live-replies")).then(mergeReplies).catch(function () {
      // The next event or a reload will bring it; nothing is lost.
    });
  }

  // --- reaction counts --------------------------------------------------------------------
  function updateReactions(event) {
    var bar = document.querySelector('[data-reactions="' + event.post + "-" + event.post_id + '"]');
    if (!bar) { return; }
    var any = false;
    Object.keys(event.counts).forEach(function (kind) {
      var count = Number(event.counts[kind]) || 0;
      any = any || count > 0;
      var button = bar.querySelector('button[data-kind="' + kind + '"] [data-count]');
      if (button) {
        button.textContent = String(count);
        return;
      }
      var tally = bar.querySelector('.reaction-tally[data-kind="' + kind + '"]');
      if (tally) {
        tally.querySelector(".reaction-count").textContent = String(count);
        tally.hidden = count === 0;
      }
    });
    if (bar.tagName.toLowerCase() === "p") { bar.hidden = !any; }
  }

  // --- the notification bell --------------------------------------------------------------
  var sinceUrl = body.getAttribute("data-notifications-since");
  var latest = Number(body.getAttribute("data-latest-notification") || "0");

  function refreshBell() {
    if (!sinceUrl) { return; }
    fetch(sinceUrl.replace(/0$/, String(latest)), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.json();
    }).then(function (answer) {
      latest = Math.max(latest, answer.latest_id);
      var badge = document.querySelector("[data-unread-badge]");
      var label = document.querySelector("[data-unread-label]");
      if (badge) {
        badge.textContent = String(answer.unread);
        badge.hidden = answer.unread === 0;
      }
      if (label) { label.textContent = answer.unread ? "(" + answer.unread_label + ")" : ""; }
      if (answer.items.length && answer.items[0].unread) { announce(answer.items[0].text); }
    }).catch(function () {
      // The count is right again on the next page.
    });
  }

  // --- staff queues and group pages ---------------------------------------------------------
  function refreshRegion(name) {
    var region = document.querySelector('[data-live-region="' + name + '"]');
    if (!region) { return; }
    getPage(window.location.href).then(function (fetched) {
      var fresh = fetched.getElementById(region.id);
      if (fresh) {
        region.parentNode.replaceChild(document.importNode(fresh, true), region);
        announce(body.getAttribute("data-live-updated"));
      }
    }).catch(function () {});
  }

  function showNewStory() {
    var notice = document.querySelector("[data-live-new-story]");
    if (notice && notice.hidden) {
      notice.hidden = false;
      announce(notice.textContent);
    }
  }

  function alertUrgent(event) {
    var text = body.getAttribute("data-urgent-text");
    var main = document.getElementById("inhoud");
    if (!text || !main || document.getElementById("dringend-" + event.item_id)) { return; }
    var box = document.createElement("div");
    box.className = "flash flash-crisis";
    box.id = "dringend-" + event.item_id;
    box.setAttribute("role", "alert");
    var link = document.createElement("a");
    link.href = event.link;
    link.textContent = text;
    box.appendChild(link);
    main.insertBefore(box, main.firstChild);
    refreshRegion("moderation_queue");
  }

  // --- the connection -----------------------------------------------------------------------
  var socket = window.io();
  var connectedBefore = false;

  socket.on("connect", function () {
    rooms.forEach(function (room) { socket.emit("join", { room: room }); });
    if (connectedBefore) {
      // Back after a break: fetch over HTTP what was said meanwhile.
      refreshReplies();
      refreshBell();
      refreshRegion("ambassador_queue");
      refreshRegion("moderation_queue");
    }
    connectedBefore = true;
  });
  socket.on("reply", function (event) {
    if (thread && String(event.story_id) === thread.getAttribute("data-story-id")) {
      refreshReplies();
    }
  });
  socket.on("reactions", updateReactions);
  socket.on("notification", refreshBell);
  socket.on("story", showNewStory);
  socket.on("ambassador_queue", function () { refreshRegion("ambassador_queue"); });
  socket.on("moderation_queue", function () { refreshRegion("moderation_queue"); });
  socket.on("moderation_urgent", alertUrgent);
}());
