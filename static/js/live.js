// A live community: new, changed and removed replies, reaction counts, the notification bell,
// the staff queues and the moderators' badge update while the page is open; a story edited
// or taken away meanwhile says so. Pages ask for it with data-live on <body> (members on every
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
  var storyNotice = document.querySelector("[data-live-story-notice]");

  // The story was edited or taken away while the page was open: say so, calmly, with a
  // link to reload. When it is gone, its text and replies go from the page too. The reply
  // form is never touched: what someone is typing stays where it is.
  var storyGone = false;

  function tellAboutStory(gone) {
    if (!storyNotice || storyGone) { return; }
    storyGone = gone;
    var text = storyNotice.getAttribute(gone ? "data-gone" : "data-changed");
    var shown = storyNotice.querySelector("[data-live-story-text]");
    if (!storyNotice.hidden && shown.textContent === text) { return; }
    shown.textContent = text;
    storyNotice.hidden = false;
    if (gone) {
      var story = document.querySelector("[data-live-story]");
      var list = document.getElementById("reactielijst");
      if (story) { story.hidden = true; }
      if (list) { list.hidden = true; }
    }
    announce(text);
  }

  function holdsFocus(element) {
    var active = document.activeElement;
    return Boolean(active && element.contains(active));
  }

  // Replacing or removing what has focus drops it to the top of the page: ask holdsFocus()
  // before the change (afterwards the focus is already gone), then call this.
  function keepFocus(fresh) {
    var target = fresh || document.getElementById("reacties-titel");
    if (!target) { return; }
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
  }

  // Bring the reply list in line with the fetched one: add what is new, replace the reply
  // that changed (or, without one named, every reply that differs), take away what is no
  // longer shown. Only the list changes; the reply form lives outside it.
  function syncReplies(fetched, changedId) {
    var list = document.getElementById("reactielijst");
    var fresh = fetched.getElementById("reactielijst");
    if (!list || !fresh) { return; }
    if (fresh.getAttribute("data-story-state") === "deleted") { tellAboutStory(true); }
    var added = 0;
    var changed = 0;
    var previous = null;
    var keep = {};
    Array.prototype.forEach.call(fresh.children, function (item) {
      keep[item.id] = true;
      var present = item.id ? document.getElementById(item.id) : null;
      var copy;
      if (present) {
        var named = changedId && item.id === "reactie-" + changedId;
        if (named || (!changedId && present.innerHTML !== item.innerHTML)) {
          copy = document.importNode(item, true);
          var hadFocus = holdsFocus(present);
          present.parentNode.replaceChild(copy, present);
          if (hadFocus) { keepFocus(copy); }
          present = copy;
          changed += 1;
        }
        previous = present;
        return;
      }
      copy = document.importNode(item, true);
      list.insertBefore(copy, previous ? previous.nextSibling : list.firstChild);
      previous = copy;
      added += 1;
    });
    Array.prototype.slice.call(list.children).forEach(function (item) {
      if (item.id && !keep[item.id]) {
        var hadFocus = holdsFocus(item);
        list.removeChild(item);
        if (hadFocus) { keepFocus(null); }
        changed += 1;
      }
    });
    var heading = document.getElementById("reacties-titel");
    var counted = fresh.getAttribute("data-heading");
    var recounted = false;
    if (heading && counted && heading.textContent !== counted) {
      heading.textContent = counted;
      recounted = true;
    }
    syncPagers(fetched);
    if (added && list.children.length) {
      var waiting = thread.querySelector(".no-reply-yet");
      if (waiting && waiting.parentNode) { waiting.parentNode.hidden = true; }
    }
    // A reply that lands on another page changes only the count (and the page links).
    if (added || changed || recounted) { announce(counted); }
  }

  // The page links under and above the list: a new page begins when this one is full.
  function syncPagers(fetched) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-reply-pager]"), function (pager) {
      var where = pager.getAttribute("data-reply-pager");
      var fresh = fetched.querySelector('[data-reply-pager="' + where + '"]');
      if (fresh && pager.innerHTML !== fresh.innerHTML && !holdsFocus(pager)) {
        pager.parentNode.replaceChild(document.importNode(fresh, true), pager);
      }
    });
  }

  function refreshReplies(changedId) {
    if (!thread) { return; }
    fetch(thread.getAttribute("data-live-replies"), {
      credentials: "same-origin",
      headers: { Accept: "text/html" }
    }).then(function (response) {
      if (response.status === 404) {
        tellAboutStory(true);
        return null;
      }
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.text();
    }).then(function (html) {
      if (html !== null) {
        syncReplies(new DOMParser().parseFromString(html, "text/html"), changedId);
      }
    }).catch(function () {
      // The next event or a reload will bring it; nothing is lost.
    });
  }

  function onThisStory(event) {
    return thread && String(event.story_id) === thread.getAttribute("data-story-id");
  }

  function storyChanged(event) {
    if (!onThisStory(event)) { return; }
    tellAboutStory(false);
    refreshReplies(null);  // turns the notice into "gone" when the story went
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

  // --- the moderators' menu badge ----------------------------------------------------------
  var moderationLink = document.querySelector("[data-moderation-count]");

  function refreshModerationBadge() {
    if (!moderationLink) { return; }
    fetch(moderationLink.getAttribute("data-moderation-count"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.json();
    }).then(function (answer) {
      var badge = moderationLink.querySelector("[data-moderation-badge]");
      var label = moderationLink.querySelector("[data-moderation-label]");
      if (badge) {
        badge.textContent = String(answer.open);
        badge.hidden = answer.open === 0;
      }
      if (label) { label.textContent = answer.open ? "(" + answer.label + ")" : ""; }
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

  function joinRooms() {
    rooms.forEach(function (room) {
      socket.emit("join", { room: room }, function (answer) {
        // Refused now where it was allowed before: the story is no longer there for me.
        if (answer && !answer.ok && room.indexOf("story:") === 0) { tellAboutStory(true); }
      });
    });
  }

  socket.on("connect", function () {
    joinRooms();
    if (connectedBefore) {
      // Back after a break: fetch over HTTP what was said meanwhile.
      refreshReplies(null);
      refreshBell();
      refreshModerationBadge();
      refreshRegion("ambassador_queue");
      refreshRegion("moderation_queue");
    }
    connectedBefore = true;
  });
  socket.on("reply", function (event) {
    if (onThisStory(event)) { refreshReplies(event.reply_id); }
  });
  socket.on("reply_changed", function (event) {
    if (onThisStory(event)) { refreshReplies(event.reply_id); }
  });
  socket.on("story_changed", storyChanged);
  // What I may see changed (left a group, blocked someone, logged out elsewhere): the server
  // already took this page out of rooms it may no longer be in; join again to learn which.
  socket.on("access_changed", joinRooms);
  socket.on("reactions", updateReactions);
  socket.on("notification", refreshBell);
  socket.on("story", showNewStory);
  socket.on("ambassador_queue", function () { refreshRegion("ambassador_queue"); });
  socket.on("moderation_queue", function () {
    refreshRegion("moderation_queue");
    refreshModerationBadge();
  });
  socket.on("moderation_urgent", alertUrgent);
}());
