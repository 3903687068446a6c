/* The portal home page's ask box as a chat over /ws/chat/ (docs/chat-protocol.md, the portal socket).
   Without JavaScript (or a socket) the form simply opens /ask/, which answers the same way. All text is
   rendered as text; links only for http(s) and same-site paths. The conversation with the agency last
   answering is kept in localStorage (agency, token, its last message number), as the agency widget keeps
   its token: a reload replays it, a dropped connection reconnects and receives only what it missed. */
(function () {
  "use strict";
  var form = document.getElementById("fd-ask-form");
  var input = document.getElementById("fd-question");
  var box = document.getElementById("fd-chat");
  var log = document.getElementById("fd-log");
  if (!form || !input || !box || !log || !window.WebSocket) return;
  var lang = document.documentElement.getAttribute("lang") || "en";
  var socket = null;
  var ready = false;
  var queue = [];
  var shown = {};
  var counter = 0;
  var STORE = "civicdesk.portal.chat";
  var kept = load();
  var retry = 0;
  var labels = {
    // Whole sentences with a %(name)s slot, so each language places the agency's name where it reads well.
    answeredBy: box.getAttribute("data-answered-by") || "Answered by %(name)s",
    continueWith: box.getAttribute("data-continue") || "Continue with %(name)s",
    you: box.getAttribute("data-you") || "You",
    sources: box.getAttribute("data-sources") || "Sources"
  };

  function named(sentence, name) {
    return sentence.split("%(name)s").join(name);
  }

  function load() {
    try {
      var value = JSON.parse(window.localStorage.getItem(STORE) || "null");
      return value && typeof value.agency === "string" && typeof value.token === "string" ? value : null;
    } catch (_e) { return null; }
  }

  function keep(value) {
    kept = value;
    try {
      if (value) window.localStorage.setItem(STORE, JSON.stringify(value));
      else window.localStorage.removeItem(STORE);
    } catch (_e) { /* private mode: no resuming after a reload */ }
  }

  function safeHref(url) {
    if (typeof url !== "string") return null;
    if (/^https?:\/\//i.test(url)) return url;
    if (/^\/(?!\/)/.test(url)) return url;
    return null;
  }

  function linkify(parent, text) {
    var pattern = /(https?:\/\/[^\s]+|(?:^|\s)(\/[a-z0-9\-\/]*\/))/gi;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var url = match[2] || match[1];
      var start = match.index + match[0].indexOf(url);
      if (start > last) parent.appendChild(document.createTextNode(text.slice(last, start)));
      var a = document.createElement("a");
      a.href = safeHref(url) || "#";
      a.textContent = url;
      parent.appendChild(a);
      last = start + url.length;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function render(frame) {
    if (frame.type !== "message" || shown[frame.seq]) return;
    shown[frame.seq] = true;
    var item = document.createElement("li");
    item.className = "fd-msg fd-" + frame.role;
    if (frame.role === "citizen") {
      var who = document.createElement("span");
      who.className = "visually-hidden";
      who.textContent = labels.you + ": ";
      item.appendChild(who);
    } else if (frame.agency && frame.role !== "citizen") {
      var by = document.createElement("p");
      by.className = "fd-by muted";
      by.textContent = named(labels.answeredBy, frame.agency.name);
      item.appendChild(by);
    }
    var text = document.createElement("p");
    text.className = "fd-text";
    linkify(text, frame.text || "");
    item.appendChild(text);
    if (frame.citations && frame.citations.length) {
      var list = document.createElement("ul");
      list.className = "fd-citations";
      list.setAttribute("aria-label", labels.sources);
      frame.citations.forEach(function (c) {
        var li = document.createElement("li");
        var href = safeHref(c.url);
        if (href) {
          var a = document.createElement("a");
          a.href = href;
          a.rel = "noopener";
          a.textContent = c.title;
          li.appendChild(a);
        } else {
          li.textContent = c.title;
        }
        list.appendChild(li);
      });
      item.appendChild(list);
    }
    if (frame.actions && frame.actions.length) {
      var row = document.createElement("div");
      row.className = "fd-actions";
      frame.actions.forEach(function (action) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "secondary";
        button.textContent = action.label;
        button.addEventListener("click", function () { send(action.label, action.value); });
        row.appendChild(button);
      });
      item.appendChild(row);
    }
    if (frame.agency && frame.role === "bot") {
      var cont = document.createElement("p");
      var link = document.createElement("a");
      link.href = safeHref(frame.agency.chat_url) || safeHref(frame.agency.url) || "#";
      link.className = "fd-continue";
      link.textContent = named(labels.continueWith, frame.agency.name);
      cont.appendChild(link);
      item.appendChild(cont);
    }
    log.appendChild(item);
    item.scrollIntoView({ block: "nearest" });
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var query = "?lang=" + encodeURIComponent(lang);
    if (kept) {
      // After a reload nothing is shown: everything is replayed; after a drop, only what came later.
      query += "&agency=" + encodeURIComponent(kept.agency) + "&token=" + encodeURIComponent(kept.token);
      if (log.childNodes.length && kept.seq) query += "&after_seq=" + encodeURIComponent(kept.seq);
    }
    socket = new WebSocket(scheme + window.location.host + "/ws/chat/" + query);
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (_e) { return; }
      if (frame.type === "hello") {
        ready = true;
        retry = 0;
        shown = {}; // a new socket numbers its frames afresh; the server replays each message once
        while (queue.length) socket.send(queue.shift());
      } else if (frame.type === "message") {
        if (frame.agency && frame.agency.token && frame.conversation_seq) {
          keep({ agency: frame.agency.slug, token: frame.agency.token, seq: frame.conversation_seq });
        }
        render(frame);
      } else if (frame.type === "error") {
        if (frame.code === "invalid_token") { keep(null); return; } // gone: the next question starts anew
        render({ type: "message", seq: "e" + (++counter), role: "system", text: frame.message });
      }
    });
    socket.addEventListener("close", function () {
      ready = false;
      socket = null;
      if (kept) { // a person may still answer there: come back, a little later each time
        retry = Math.min(retry + 1, 6);
        window.setTimeout(function () { if (!socket) connect(); }, 1000 * retry);
      }
    });
  }

  function send(text, action) {
    var frame = JSON.stringify({
      type: "message",
      text: text,
      action: action || "",
      client_msg_id: "fd-" + Date.now() + "-" + (++counter)
    });
    box.hidden = false;
    if (!socket) connect();
    if (ready) socket.send(frame); else queue.push(frame);
  }

  if (kept) { box.hidden = false; connect(); }

  form.addEventListener("submit", function (event) {
    var text = input.value.trim();
    if (!text) return; // the browser's own "required" message, or /ask/ says what to do
    event.preventDefault();
    send(text, "");
    input.value = "";
    input.focus();
  });
})();
