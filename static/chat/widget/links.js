/*
 * CivicDesk chat widget, part: links in message text (loaded by ../widget.js; see there). The staff console
 * (templates/chat/inbox.html) loads this file too and installs it on its own `el` and `safeUrl`: one copy of the
 * rules for both.
 *
 * Needs: el, safeUrl (base.js, or the console's). Installs: appendLinkified(parent, text, referenceUrl).
 */
(function () {
  "use strict";

  // Links in message text, built as DOM nodes (never HTML): http(s) addresses, paths on this portal
  // ("/a/springfield/track/…", also straight after a Chinese colon or comma: "进度：/a/…") and reference
  // numbers ("SPR-2026-000123", "SPR-REG-2026-000045"; `referenceUrl` says where one leads): a year after the prefix,
  // so that a licence number's example ("S123-4567-8901", the voter form's) is not a link to the tracking page.
  // Each link is isolated left to right (dir=ltr): in an Arabic sentence "/a/springfield/track/?reference=…" was
  // drawn "a/springfield/track/?/reference=…", its slashes taking the sentence's direction.
  // Trailing punctuation stays text.
  var LINK = /(https?:\/\/[^\s<>"']+)|(^|[\s(\uff08\uff1a\uff0c\u3001])(\/(?:a|staff)\/[^\s<>"']*)|\b([A-Z][A-Z0-9]{1,9}-(?:REG-)?(?:19|20)\d{2}-\d{4,})\b/g;
  var TRAILING = /[.,;:!?)\]}'"\u3002\uff0c\uff09\uff01\uff1f]+$/;

  function install(w) {
    var el = w.el;
    var safeUrl = w.safeUrl;

    w.appendLinkified = function (parent, text, referenceUrl) {
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
        parent.appendChild(el("a", { href: href, target: "_blank", rel: "noopener noreferrer", dir: "ltr" }, shown));
        last = start + shown.length;
        LINK.lastIndex = last;
      }
      if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
      return parent;
    };
  }

  (window.CivicDeskChatParts = window.CivicDeskChatParts || {})[document.currentScript.src] = install;
})();
