/*
 * CivicDesk chat widget. No build step, no dependencies.
 *
 *   <script src="https://portal.example/static/chat/widget.js" data-agency="springfield" defer></script>
 *
 * opens a chat bubble on any web site; the socket URL is derived from this script's own URL.
 * Options (data-*): agency (required), mode ("bubble" | "inline"), target (element id for inline),
 * channel ("widget" | "web"), lang (UI language), agency-name (title).
 *
 * Every piece of message content is rendered with textContent / createTextNode — never as HTML.
 * Protocol: docs/chat-protocol.md.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) {
    var candidates = document.querySelectorAll("script[data-agency]");
    script = candidates[candidates.length - 1];
  }
  if (!script || !script.dataset.agency) return;

  var options = {
    agency: script.dataset.agency,
    agencyName: script.dataset.agencyName || "",
    mode: script.dataset.mode === "inline" ? "inline" : "bubble",
    target: script.dataset.target || "",
    channel: script.dataset.channel === "web" ? "web" : "widget",
    lang: script.dataset.lang || (navigator.language || "en").toLowerCase(),
  };
  var scriptUrl = new URL(script.src, window.location.href);
  var httpBase = scriptUrl.origin;
  var wsBase = (scriptUrl.protocol === "https:" ? "wss://" : "ws://") + scriptUrl.host;
  var socketPath = "/ws/a/" + encodeURIComponent(options.agency) + "/chat/";
  var storageKey = "civicdesk-chat:" + wsBase + ":" + options.agency;

  function passageUrl(chunkId) {
    return httpBase + "/a/" + encodeURIComponent(options.agency) + "/ask/passage/" + encodeURIComponent(String(chunkId)) + "/";
  }

  function trackUrl(reference) {
    return httpBase + "/a/" + encodeURIComponent(options.agency) + "/track/?reference=" + encodeURIComponent(reference);
  }

  // Translations come from Django's JavaScript catalog (/jsi18n/), loaded by the page or, on other
  // sites, by boot() below. `gettext(…)` literals are what makemessages -d djangojs extracts.
  // The widget follows the conversation's language: when the assistant answers in another language than
  // the page's, that language's catalogue (/jsi18n/<language>.json) is fetched and used from then on.
  var catalogs = {}; // language -> {msgid: msgstr}, fetched on demand
  var uiLanguage = ""; // "" = the page's own catalogue
  function gettext(text) {
    if (uiLanguage && catalogs[uiLanguage]) {
      var found = catalogs[uiLanguage][text];
      if (Array.isArray(found)) found = found[0];
      return typeof found === "string" && found ? found : text;
    }
    return typeof window.gettext === "function" ? window.gettext(text) : text;
  }
  function baseLanguage(code) {
    return String(code || "").toLowerCase().split("-")[0];
  }
  function loadCatalog(language) {
    if (catalogs[language] || typeof window.fetch !== "function") return Promise.resolve();
    return window.fetch(httpBase + "/jsi18n/" + encodeURIComponent(language) + ".json")
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.catalog && typeof data.catalog === "object") catalogs[language] = data.catalog;
      })
      .catch(function () { /* the page's language is better than nothing */ });
  }
  function interpolate(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  var RTL_LANGUAGES = ["ar", "fa", "he", "ur"];
  function textDirection(lang) {
    return RTL_LANGUAGES.indexOf(String(lang || "").split("-")[0]) >= 0 ? "rtl" : "ltr";
  }

  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    if (attributes) {
      Object.keys(attributes).forEach(function (name) {
        if (attributes[name] !== null && attributes[name] !== undefined) node.setAttribute(name, attributes[name]);
      });
    }
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeUrl(value) {
    if (typeof value !== "string" || !value) return null;
    try {
      var parsed = new URL(value, httpBase);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (_e) {
      return null;
    }
  }

  // Links in message text, built as DOM nodes (never HTML): http(s) addresses, paths on this portal
  // ("/a/springfield/track/…") and reference numbers ("SPR-2026-000123", "SPR-REG-2026-000045").
  // Trailing punctuation stays text. Keep in step with the copy in static/chat/console.js.
  var LINK = /(https?:\/\/[^\s<>"']+)|(^|[\s(\uff08])(\/(?:a|staff)\/[^\s<>"']*)|\b([A-Z][A-Z0-9]{1,9}-(?:REG-)?\d{4}-\d{4,})\b/g;
  var TRAILING = /[.,;:!?)\]}'"\u3002\uff0c\uff09\uff01\uff1f]+$/;

  function appendLinkified(parent, text, referenceUrl) {
    text = text === undefined || text === null ? "" : String(text);
    var last = 0;
    var match;
    LINK.lastIndex = 0;
    while ((match = LINK.exec(text)) !== null) {
      var start = match.index;
      var raw = match[1] || match[3] || match[4];
      if (match[3]) start += match[2].length;
      var shown = match[4] ? raw : raw.replace(TRAILING, "");
      var href = match[4] ? referenceUrl(raw) : shown && safeUrl(shown);
      if (!href) continue;
      if (start > last) parent.appendChild(document.createTextNode(text.slice(last, start)));
      parent.appendChild(el("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, shown));
      last = start + shown.length;
      LINK.lastIndex = last;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
    return parent;
  }

  // A camera drawn as SVG (an emoji needs a font that many machines lack).
  function cameraIcon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "22");
    svg.setAttribute("height", "22");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var body = document.createElementNS(ns, "path");
    body.setAttribute("d", "M4 7h3l2-2.5h6L17 7h3a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1z");
    var lens = document.createElementNS(ns, "circle");
    lens.setAttribute("cx", "12");
    lens.setAttribute("cy", "13");
    lens.setAttribute("r", "3.5");
    [body, lens].forEach(function (shape) {
      shape.setAttribute("fill", "none");
      shape.setAttribute("stroke", "currentColor");
      shape.setAttribute("stroke-width", "1.8");
      shape.setAttribute("stroke-linejoin", "round");
      svg.appendChild(shape);
    });
    return svg;
  }

  function uuid() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  function boot() {
    // --- state kept across reloads -----------------------------------------------------------------
    function load() {
      try {
        return JSON.parse(window.localStorage.getItem(storageKey)) || {};
      } catch (_e) {
        return {};
      }
    }
    function save() {
      try {
        window.localStorage.setItem(storageKey, JSON.stringify({ token: state.token, pending: state.pending }));
      } catch (_e) { /* private mode: the conversation lasts as long as the page */ }
    }
    var stored = load();
    // The full chat page opened from the portal's front door ("continue with this agency") carries the
    // conversation's token in the fragment (never sent to the server in a URL): resume that conversation.
    var resume = options.mode === "inline" ? /(?:^#|&)resume=([A-Za-z0-9_-]{20,100})/.exec(window.location.hash || "") : null;
    if (resume) {
      stored = { token: resume[1], pending: [] };
      try { window.history.replaceState(null, "", window.location.pathname + window.location.search); } catch (_e) { /* old browsers */ }
    }
    var state = {
      token: stored.token || "",
      pending: Array.isArray(stored.pending) ? stored.pending : [], // sent, not yet echoed
      lastSeq: 0, // rendered up to here (a reload replays the whole transcript)
      socket: null,
      connected: false,
      retry: 0,
      who: { state: "bot", agent: "" },
      streams: {},
    };

    // --- the interface ------------------------------------------------------------------------------
    var ids = "cd-chat-" + Math.random().toString(36).slice(2, 8);
    // Right-to-left UI languages mirror the panel (the CSS uses logical properties); each message also
    // takes its own direction from its text (dir="auto"), so an English passage in an Arabic chat reads right.
    var root = el("div", { class: "cd-chat cd-chat--" + options.mode, lang: options.lang, dir: textDirection(options.lang) });
    var launcher = null;
    var panel = el("div", {
      class: "cd-panel",
      id: ids + "-panel",
      role: options.mode === "bubble" ? "dialog" : "region",
      "aria-labelledby": ids + "-title",
    });
    var header = el("div", { class: "cd-header" });
    var title = el("h2", { class: "cd-title", id: ids + "-title" },
      options.agencyName ? interpolate(gettext("Chat with %(name)s"), { name: options.agencyName }) : gettext("Chat with us"));
    var who = el("p", { class: "cd-who", "aria-live": "polite" }, gettext("You are chatting with the virtual assistant."));
    var connection = el("p", { class: "cd-connection", role: "status" }, gettext("Connecting…"));
    // The agency's emergency notice while crisis mode is on (sent in the socket's hello).
    var crisisNotice = el("p", { class: "cd-crisis", role: "alert", hidden: "hidden" });
    header.appendChild(title);
    header.appendChild(who);
    header.appendChild(connection);
    header.appendChild(crisisNotice);
    var closeButton = null;
    if (options.mode === "bubble") {
      closeButton = el("button", { type: "button", class: "cd-close", "aria-label": gettext("Close the chat") }, "×");
      header.appendChild(closeButton);
    }
    // The live region is a container around the list: an <ol role="log"> would stop being a list, and
    // its <li> children would no longer be list items to screen readers.
    var region = el("div", { class: "cd-log", role: "log", "aria-live": "polite", "aria-relevant": "additions", "aria-label": gettext("Conversation") });
    var log = el("ol", { class: "cd-log-list" });
    region.appendChild(log);
    var intro = el("li", { class: "cd-msg cd-msg--system" });
    intro.appendChild(el("p", { class: "cd-text", dir: "auto" }, gettext("Ask a question in your own words, or say “Hi” to see what I can do.")));
    log.appendChild(intro);
    var typing = el("p", { class: "cd-typing", "aria-live": "polite" });
    var form = el("form", { class: "cd-composer" });
    var label = el("label", { for: ids + "-input", class: "cd-visually-hidden" }, gettext("Your message"));
    var input = el("textarea", { id: ids + "-input", rows: "2", maxlength: "2000", placeholder: gettext("Type your message…"), autocomplete: "off" });
    var send = el("button", { type: "submit", class: "cd-send" }, gettext("Send"));
    // Attach a photo: a real file input (keyboard and screen readers know it), shown as a camera button.
    var photoInput = el("input", { type: "file", id: ids + "-photo", accept: "image/*", class: "cd-visually-hidden cd-attach-input" });
    var photoLabel = el("label", { for: ids + "-photo", class: "cd-attach", title: gettext("Attach a photo") });
    photoLabel.appendChild(cameraIcon());
    var photoLabelText = el("span", { class: "cd-visually-hidden" }, gettext("Attach a photo"));
    photoLabel.appendChild(photoLabelText);
    form.appendChild(photoInput);
    form.appendChild(photoLabel);
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(send);
    panel.appendChild(header);
    panel.appendChild(region);
    panel.appendChild(typing);
    panel.appendChild(form);

    if (options.mode === "bubble") {
      launcher = el("button", { type: "button", class: "cd-launcher", "aria-expanded": "false", "aria-controls": ids + "-panel" }, gettext("Chat with us"));
      panel.hidden = true;
      root.appendChild(panel);
      root.appendChild(launcher);
    } else {
      root.appendChild(panel);
    }

    function mount() {
      if (!document.querySelector('link[data-civicdesk-chat]')) {
        var css = el("link", { rel: "stylesheet", href: httpBase + "/static/chat/widget.css", "data-civicdesk-chat": "1" });
        document.head.appendChild(css);
      }
      var host = options.target ? document.getElementById(options.target) : null;
      (host || document.body).appendChild(root);
      if (options.mode === "inline") connect();
    }

    function open() {
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      launcher.hidden = true;
      if (!state.socket) connect();
      input.focus();
    }
    function close() {
      panel.hidden = true;
      launcher.hidden = false;
      launcher.setAttribute("aria-expanded", "false");
      launcher.focus();
    }
    if (launcher) {
      launcher.addEventListener("click", open);
      closeButton.addEventListener("click", close);
      panel.addEventListener("keydown", function (event) {
        if (event.key === "Escape") close();
      });
    }

    function scrollDown() {
      region.scrollTop = region.scrollHeight;
    }

    function speaker(frame) {
      if (frame.role === "citizen") return gettext("You");
      if (frame.role === "bot") return gettext("Assistant");
      if (frame.role === "agent") return frame.author || gettext("Agent");
      return "";
    }

    function disableOldActions() {
      var buttons = log.querySelectorAll(".cd-actions button");
      Array.prototype.forEach.call(buttons, function (button) { button.disabled = true; });
    }

    function renderMessage(frame) {
      var item = el("li", { class: "cd-msg cd-msg--" + frame.role, "data-seq": String(frame.seq) });
      var name = speaker(frame);
      if (name) item.appendChild(el("p", { class: "cd-speaker" }, name));
      var photos = Array.isArray(frame.photos) ? frame.photos : [];
      if (frame.role === "citizen" && photos.length) {
        // The stored photo is for the agency's staff only: this page shows the copy it sent, if it has one.
        var thumb = frame.client_msg_id && photoThumbs[frame.client_msg_id];
        if (thumb) item.appendChild(el("img", { class: "cd-photo", src: thumb, alt: gettext("Your photo") }));
        item.appendChild(el("p", { class: "cd-text cd-photo-sent", dir: "auto" }, gettext("Photo sent")));
        if (frame.text && frame.text !== "📷") item.appendChild(appendLinkified(el("p", { class: "cd-text", dir: "auto" }), frame.text, trackUrl));
      } else {
        item.appendChild(appendLinkified(el("p", { class: "cd-text", dir: "auto" }), frame.text, trackUrl));
      }
      var citations = Array.isArray(frame.citations) ? frame.citations : [];
      citations = citations.filter(function (c) { return c && (c.title || safeUrl(c.url)); });
      if (citations.length) {
        var sources = el("div", { class: "cd-sources" });
        sources.appendChild(el("p", { class: "cd-sources-label" }, gettext("Sources:")));
        var list = el("ul", {});
        citations.forEach(function (citation) {
          var li = el("li", {});
          var href = safeUrl(citation.url);
          var name = String(citation.title || citation.url) + (citation.version ? " (v" + citation.version + ")" : "");
          // A source without a web address is still named, as plain text.
          li.appendChild(href ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, name) : el("span", {}, name));
          // The answer is trimmed to the sentences that answer: the whole passage is one click away.
          if (typeof citation.chunk_id === "number") {
            li.appendChild(document.createTextNode(" · "));
            li.appendChild(el("a", { href: passageUrl(citation.chunk_id), target: "_blank", rel: "noopener noreferrer", class: "cd-passage" }, gettext("Read the whole passage")));
          }
          list.appendChild(li);
        });
        sources.appendChild(list);
        item.appendChild(sources);
      }
      var actions = Array.isArray(frame.actions) ? frame.actions : [];
      if (actions.length) {
        disableOldActions();
        var group = el("div", { class: "cd-actions", role: "group", "aria-label": gettext("Suggested replies") });
        actions.forEach(function (action) {
          if (!action || typeof action.label !== "string") return;
          var button = el("button", { type: "button", class: "cd-quick" }, action.label);
          button.addEventListener("click", function () {
            sendMessage(action.label, typeof action.value === "string" ? action.value : "");
            input.focus();
          });
          group.appendChild(button);
        });
        item.appendChild(group);
      }
      return item;
    }

    function onMessage(frame) {
      if (typeof frame.seq !== "number" || frame.seq <= state.lastSeq) return; // already shown
      state.lastSeq = frame.seq;
      if (frame.client_msg_id) {
        state.pending = state.pending.filter(function (p) { return p.client_msg_id !== frame.client_msg_id; });
        save();
        var echo = log.querySelector('[data-client-msg-id="' + CSS.escape(frame.client_msg_id) + '"]');
        if (echo) echo.parentNode.removeChild(echo);
      }
      if (frame.reply_to !== undefined && state.streams[frame.reply_to]) {
        var streaming = state.streams[frame.reply_to];
        streaming.parentNode.removeChild(streaming);
        delete state.streams[frame.reply_to];
      }
      if (frame.role !== "citizen") typing.textContent = "";
      log.appendChild(renderMessage(frame));
      scrollDown();
    }

    function onDelta(frame) {
      var item = state.streams[frame.reply_to];
      if (!item) {
        item = el("li", { class: "cd-msg cd-msg--bot cd-msg--streaming", "aria-busy": "true" });
        item.appendChild(el("p", { class: "cd-speaker" }, gettext("Assistant")));
        item.appendChild(el("p", { class: "cd-text", dir: "auto" }, ""));
        state.streams[frame.reply_to] = item;
        log.appendChild(item);
      }
      var text = item.querySelector(".cd-text");
      text.textContent = text.textContent + String(frame.text || "");
      typing.textContent = "";
      scrollDown();
    }

    function setWho(newState, agent) {
      state.who = { state: newState, agent: agent || "" };
      if (newState === "agent") {
        who.textContent = interpolate(gettext("You are chatting with %(name)s."), { name: agent || gettext("an agent") });
      } else if (newState === "queued") {
        who.textContent = gettext("Waiting for a person. You can keep writing.");
      } else if (newState === "closed") {
        who.textContent = gettext("This conversation has ended. Write again to start over.");
      } else {
        who.textContent = gettext("You are chatting with the virtual assistant.");
      }
    }

    function onTyping(frame) {
      if (!frame.active) {
        typing.textContent = "";
        return;
      }
      typing.textContent = frame.role === "agent"
        ? interpolate(gettext("%(name)s is typing…"), { name: frame.name || gettext("Agent") })
        : gettext("The assistant is typing…");
    }

    function showError(frame) {
      var item = el("li", { class: "cd-msg cd-msg--error", role: "alert" });
      item.appendChild(el("p", { class: "cd-text", dir: "auto" }, frame.message || gettext("Something went wrong.")));
      log.appendChild(item);
      scrollDown();
    }

    // The widget's own words in the conversation's language (the assistant's latest reply says which).
    function relabel() {
      var language = uiLanguage || options.lang;
      root.setAttribute("lang", language);
      root.setAttribute("dir", textDirection(language));
      title.textContent = options.agencyName
        ? interpolate(gettext("Chat with %(name)s"), { name: options.agencyName }) : gettext("Chat with us");
      setWho(state.who.state, state.who.agent);
      label.textContent = gettext("Your message");
      input.setAttribute("placeholder", gettext("Type your message…"));
      send.textContent = gettext("Send");
      photoLabel.setAttribute("title", gettext("Attach a photo"));
      photoLabelText.textContent = gettext("Attach a photo");
      region.setAttribute("aria-label", gettext("Conversation"));
      if (closeButton) closeButton.setAttribute("aria-label", gettext("Close the chat"));
      if (launcher) launcher.textContent = gettext("Chat with us");
    }
    function followLanguage(language) {
      var wanted = baseLanguage(language) === baseLanguage(options.lang) ? "" : String(language).toLowerCase();
      if (wanted === uiLanguage) return Promise.resolve();
      return (wanted ? loadCatalog(wanted) : Promise.resolve()).then(function () {
        if (wanted && !catalogs[wanted]) return; // not fetched: keep the labels as they are
        uiLanguage = wanted;
        relabel();
      });
    }
    // Frames are handled one after another; a reply in a new language waits for its catalogue, and
    // everything after it waits too, so the conversation never shows out of order.
    var frames = Promise.resolve();
    function handleLater(frame, handler) {
      frames = frames.then(function () {
        if (frame.type === "message" && frame.role === "bot" && typeof frame.language === "string" && frame.language) {
          return followLanguage(frame.language);
        }
      }).then(function () { handler(frame); }).catch(function () { /* one bad frame must not stop the rest */ });
    }

    // --- the socket ---------------------------------------------------------------------------------
    function connect() {
      var params = new URLSearchParams();
      if (state.token) {
        params.set("token", state.token);
        params.set("after_seq", String(state.lastSeq));
      } else {
        params.set("channel", options.channel);
        params.set("lang", options.lang);
      }
      var socket = new WebSocket(wsBase + socketPath + "?" + params.toString());
      state.socket = socket;
      // Heartbeat: keeps proxies from closing an idle socket, and lets the server check that nothing
      // stored was missed (it replays anything newer than what this page has shown).
      var heartbeat = window.setInterval(function () {
        if (socket.readyState === WebSocket.OPEN) socket.send('{"type": "ping"}');
      }, 25000);
      connection.textContent = state.retry ? gettext("Reconnecting…") : gettext("Connecting…");
      socket.addEventListener("message", function (event) {
        var frame;
        try { frame = JSON.parse(event.data); } catch (_e) { return; }
        if (!frame || typeof frame !== "object") return;
        if (frame.type === "hello") {
          state.token = frame.token;
          state.connected = true;
          state.retry = 0;
          save();
          connection.textContent = "";
          setWho(frame.state, frame.agent);
          if (frame.crisis) {
            crisisNotice.textContent = gettext("Emergency notice") + ": " + frame.crisis;
            crisisNotice.hidden = false;
          } else {
            crisisNotice.hidden = true;
          }
          // A resumed conversation keeps the language it was in.
          if (typeof frame.language === "string" && frame.language) {
            var language = frame.language;
            frames = frames.then(function () { return followLanguage(language); }).catch(function () {});
          }
          // Resend whatever was not confirmed (the server ignores repeated client_msg_ids).
          state.pending.forEach(function (p) { transmit(p); });
        } else if (frame.type === "message") {
          handleLater(frame, onMessage);
        } else if (frame.type === "delta") {
          handleLater(frame, onDelta);
        } else if (frame.type === "typing") {
          handleLater(frame, onTyping);
        } else if (frame.type === "state") {
          handleLater(frame, function (f) { setWho(f.state, f.agent); });
        } else if (frame.type === "error") {
          if (frame.code === "invalid_token") return; // handled on close
          handleLater(frame, showError);
        }
      });
      socket.addEventListener("close", function (event) {
        window.clearInterval(heartbeat);
        state.connected = false;
        state.socket = null;
        if (event.code === 4401) {
          // The stored conversation is gone (or belongs elsewhere): start a new one.
          state.token = "";
          state.pending = [];
          state.lastSeq = 0;
          save();
        } else if (event.code === 4404) {
          connection.textContent = gettext("Chat is not available for this agency.");
          return;
        }
        state.retry += 1;
        var delay = Math.min(10000, 500 * Math.pow(2, Math.min(state.retry - 1, 5))) + Math.random() * 300;
        connection.textContent = gettext("Connection lost. Reconnecting…");
        window.setTimeout(connect, event.code === 4401 ? 0 : delay);
      });
    }

    function transmit(pending) {
      if (!state.socket || !state.connected) return;
      var frame = { type: "message", text: pending.text, client_msg_id: pending.client_msg_id };
      if (pending.action) frame.action = pending.action;
      state.socket.send(JSON.stringify(frame));
    }

    function sendMessage(text, action) {
      text = String(text || "").trim();
      if (!text) return;
      var pending = { text: text, client_msg_id: uuid(), action: action || "" };
      state.pending.push(pending);
      save();
      // Shown at once as "sending"; replaced by the server's echo (with its seq).
      var item = el("li", { class: "cd-msg cd-msg--citizen cd-msg--sending", "data-client-msg-id": pending.client_msg_id });
      item.appendChild(el("p", { class: "cd-speaker" }, gettext("You")));
      item.appendChild(appendLinkified(el("p", { class: "cd-text", dir: "auto" }), text, trackUrl));
      log.appendChild(item);
      scrollDown();
      transmit(pending);
    }

    // --- a photo: uploaded over HTTP into this conversation; it comes back over the socket -----------
    var photoThumbs = {}; // client_msg_id -> this page's own copy of the photo (an object URL)
    var photoUrl = httpBase + "/api/v1/a/" + encodeURIComponent(options.agency) + "/chat/photo/";
    function sendPhoto(file) {
      if (!file) return;
      if (!state.token || typeof window.fetch !== "function" || typeof window.FormData !== "function") {
        showError({ message: gettext("The photo could not be sent. Try again.") });
        return;
      }
      var clientMsgId = uuid();
      var thumb = window.URL && window.URL.createObjectURL ? window.URL.createObjectURL(file) : "";
      if (thumb) photoThumbs[clientMsgId] = thumb;
      var item = el("li", { class: "cd-msg cd-msg--citizen cd-msg--sending", "data-client-msg-id": clientMsgId });
      item.appendChild(el("p", { class: "cd-speaker" }, gettext("You")));
      if (thumb) item.appendChild(el("img", { class: "cd-photo", src: thumb, alt: gettext("Your photo") }));
      item.appendChild(el("p", { class: "cd-text", dir: "auto" }, gettext("Sending the photo…")));
      log.appendChild(item);
      scrollDown();
      var body = new window.FormData();
      body.append("token", state.token);
      body.append("client_msg_id", clientMsgId);
      body.append("photo", file, file.name || "photo");
      window.fetch(photoUrl, { method: "POST", body: body, credentials: "omit" })
        .then(function (response) {
          if (response.ok) return null;
          return response.json().catch(function () { return {}; }).then(function (data) {
            var reason = data && ((Array.isArray(data.photo) && data.photo[0]) || data.detail);
            return typeof reason === "string" && reason ? reason : gettext("The photo could not be sent. Try again.");
          });
        }, function () { return gettext("The photo could not be sent. Try again."); })
        .then(function (problem) {
          if (!problem) return; // the socket brings the photo message and the assistant's answer
          if (item.parentNode) item.parentNode.removeChild(item);
          if (thumb) { window.URL.revokeObjectURL(thumb); delete photoThumbs[clientMsgId]; }
          showError({ message: problem });
        });
    }
    photoInput.addEventListener("change", function () {
      var file = photoInput.files && photoInput.files[0];
      photoInput.value = ""; // the same photo can be chosen again
      sendPhoto(file);
    });

    var lastTyping = 0;
    input.addEventListener("input", function () {
      var now = Date.now();
      if (state.connected && now - lastTyping > 3000) {
        lastTyping = now;
        state.socket.send(JSON.stringify({ type: "typing", active: true }));
      }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      sendMessage(input.value, "");
      input.value = "";
    });

    window.CivicDeskChat = { open: open, connect: connect, state: state };

    if (options.mode === "bubble") {
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mount);
      else mount();
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", mount);
    } else {
      mount();
    }
  }

  if (typeof window.gettext === "function") {
    boot();
  } else {
    var catalog = document.createElement("script");
    catalog.src = httpBase + "/jsi18n/";
    catalog.onload = boot;
    catalog.onerror = boot; // untranslated is better than nothing
    document.head.appendChild(catalog);
  }
})();
