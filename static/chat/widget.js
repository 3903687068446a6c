/*
 * CivicDesk chat widget. No dependencies, and no build step to develop it (collectstatic bundles it; below).
 *
 *   <script src="https://portal.example/static/chat/widget.js" data-agency="springfield" defer></script>
 *
 * opens a chat bubble on any web site; the socket URL is derived from this script's own URL.
 * Options (data-*): agency (required), mode ("bubble" | "inline"), target (element id for inline),
 * channel ("widget" | "web"), lang (UI language), agency-name (title).
 *
 * Every piece of message content is rendered with textContent / createTextNode — never as HTML.
 * Protocol: docs/chat-protocol.md.
 *
 * This file is the entry: it reads the options, loads the widget's parts from the same place as itself
 * (static/chat/widget/*.js, plain scripts) and boots. Each part registers one install function under its
 * own script URL in window.CivicDeskChatParts; boot() calls them in a fixed order on a fresh object per
 * widget, so the parts may arrive in any order and two widgets on one page share no state:
 *   base.js        the widget's words (catalogues, gettext, the conversation's language); el, URLs, icons
 *   links.js       links in message text (the staff console loads it too)
 *   panel.js       the interface: bubble or inline panel, open/close, who is answering, relabelling
 *   render.js      messages: text and links, sources, quick replies, streamed text
 *   connection.js  what a reload keeps (localStorage, #resume=), the socket (resume, reconnect), photo upload
 * That is how DEBUG and the tests serve it, from the sources. Each part is a request to the portal (on a busy
 * `make run` four parts cost a cold bubble ~11 ms against one file; bench/chat/RESULTS.md), so with DEBUG off
 * the portal serves one file: collectstatic (portal/staticstorage.py) writes chat/widget.js, and its hashed copy,
 * as the parts this file names, in its order, followed by this file; there each part registers under the URL
 * below, so loadParts() finds them all and requests none. The part names below are quoted as
 * "widget/<name>.js" for that build to find them (and to rewrite them to the parts' hashed names in the hashed
 * copy); each part ends with the one registration line the build expects.
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
  var urls = {
    http: httpBase,
    ws: wsBase,
    socketPath: "/ws/a/" + encodeURIComponent(options.agency) + "/chat/",
    storageKey: "civicdesk-chat:" + wsBase + ":" + options.agency,
  };

  // In the order boot() installs them (each may use what the ones before it installed).
  var PARTS = [
    "widget/base.js",
    "widget/links.js",
    "widget/panel.js",
    "widget/render.js",
    "widget/connection.js",
  ].map(function (name) { return new URL(name, scriptUrl).href; });
  var registry = (window.CivicDeskChatParts = window.CivicDeskChatParts || {});

  // All parts are requested at once; the widget boots when every one has run (and the page's catalogue
  // is there). A part that cannot be loaded leaves the page as it was, with one line in the console.
  function loadParts() {
    return Promise.all(PARTS.map(function (url) {
      if (typeof registry[url] === "function") return Promise.resolve();
      return new Promise(function (resolve, reject) {
        var part = document.createElement("script");
        part.src = url;
        part.onload = function () {
          if (typeof registry[url] === "function") resolve();
          else reject(new Error(url + " did not register"));
        };
        part.onerror = function () { reject(new Error(url + " could not be loaded")); };
        document.head.appendChild(part);
      });
    }));
  }

  // Translations come from Django's JavaScript catalog (/jsi18n/), loaded by the page or, on other
  // sites, here, before boot().
  function loadPageCatalog() {
    if (typeof window.gettext === "function") return Promise.resolve();
    return new Promise(function (resolve) {
      var catalog = document.createElement("script");
      catalog.src = httpBase + "/jsi18n/";
      catalog.onload = resolve;
      catalog.onerror = resolve; // untranslated is better than nothing
      document.head.appendChild(catalog);
    });
  }

  function boot() {
    var w = { options: options, urls: urls };
    PARTS.forEach(function (url) { registry[url](w); });
    var state = w.state;
    var form = w.form;
    var input = w.input;

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
      w.sendMessage(input.value, "");
      input.value = "";
    });

    window.CivicDeskChat = { open: w.open, connect: w.connect, state: state };

    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", w.mount);
    else w.mount();
  }

  // The catalogue first: it is the slowest of these requests (a view, not a file).
  var catalogue = loadPageCatalog();
  Promise.all([loadParts(), catalogue]).then(boot).catch(function (error) {
    if (window.console) window.console.error("CivicDesk chat did not start: " + (error && error.message));
  });
})();
