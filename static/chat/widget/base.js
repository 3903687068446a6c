/*
 * CivicDesk chat widget, part: what the other parts use (loaded by ../widget.js; see there).
 *
 * The widget's words. Translations come from Django's JavaScript catalog (/jsi18n/), loaded by the page or,
 * on other sites, by the entry. `gettext(…)` literals are what makemessages -d djangojs extracts.
 * The widget follows the conversation's language: when the assistant answers in another language than
 * the page's, that language's catalogue (/jsi18n/<language>.json) is fetched and used from then on.
 *
 * Building nodes. Every piece of message content becomes text (textContent / createTextNode), never HTML.
 *
 * Installs: gettext, interpolate, textDirection, textDir, uiLanguage, followLanguage (relabels through w.relabel, from
 * panel.js); el, safeUrl, passageUrl, trackUrl, cameraIcon, uuid. (Links in message text: links.js.)
 */
(function () {
  "use strict";

  // --- the widget's words -----------------------------------------------------------------------
  var RTL_LANGUAGES = ["ar", "fa", "he", "ur"];

  function interpolate(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }
  function textDirection(lang) {
    return RTL_LANGUAGES.indexOf(String(lang || "").split("-")[0]) >= 0 ? "rtl" : "ltr";
  }
  function baseLanguage(code) {
    return String(code || "").toLowerCase().split("-")[0];
  }

  function installWords(w) {
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
    function loadCatalog(language) {
      if (catalogs[language] || typeof window.fetch !== "function") return Promise.resolve();
      return window.fetch(w.urls.http + "/jsi18n/" + encodeURIComponent(language) + ".json")
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && data.catalog && typeof data.catalog === "object") catalogs[language] = data.catalog;
        })
        .catch(function () { /* the page's language is better than nothing */ });
    }
    function followLanguage(language) {
      var wanted = baseLanguage(language) === baseLanguage(w.options.lang) ? "" : String(language).toLowerCase();
      if (wanted === uiLanguage) return Promise.resolve();
      return (wanted ? loadCatalog(wanted) : Promise.resolve()).then(function () {
        if (wanted && !catalogs[wanted]) return; // not fetched: keep the labels as they are
        uiLanguage = wanted;
        w.relabel();
      });
    }

    w.gettext = gettext;
    w.interpolate = interpolate;
    w.textDirection = textDirection;
    w.followLanguage = followLanguage;
    // The language the widget's words are in now (the page's unless the conversation moved on).
    w.uiLanguage = function () { return uiLanguage || w.options.lang; };
  }

  // --- building nodes ------------------------------------------------------------------------------
  // A text's own direction (dir="auto") only when it has a letter to take it from: "4 ★", "👍" or "12" would be
  // drawn left to right at the left edge of an Arabic panel (seen on make run: the rating "4 ★"), so such a text
  // keeps the panel's direction (no dir: inherited, and it follows the panel when the conversation's language
  // turns it). In an Arabic panel "4 ★" then reads from the right, the number first, as "من 1 إلى 5" does.
  var LETTER = /\p{L}/u;
  function textDir(text) {
    return LETTER.test(String(text || "")) ? "auto" : null;
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

  function installNodes(w) {
    var httpBase = w.urls.http;
    var agency = encodeURIComponent(w.options.agency);

    function safeUrl(value) {
      if (typeof value !== "string" || !value) return null;
      try {
        var parsed = new URL(value, httpBase);
        return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
      } catch (_e) {
        return null;
      }
    }

    w.el = el;
    w.textDir = textDir;
    w.safeUrl = safeUrl;
    w.passageUrl = function (chunkId) {
      return httpBase + "/a/" + agency + "/ask/passage/" + encodeURIComponent(String(chunkId)) + "/";
    };
    w.trackUrl = function (reference) {
      return httpBase + "/a/" + agency + "/track/?reference=" + encodeURIComponent(reference);
    };
    w.cameraIcon = cameraIcon;
    w.uuid = uuid;
  }

  function install(w) {
    installWords(w);
    installNodes(w);
  }

  (window.CivicDeskChatParts = window.CivicDeskChatParts || {})[document.currentScript.src] = install;
})();
