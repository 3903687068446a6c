/*
 * CivicDesk chat widget, part: messages (loaded by ../widget.js; see there).
 * A message frame becomes a list item: the speaker, the text with its links, a photo's note, the sources
 * (each with "Read the whole passage") and the quick replies; streamed text (delta frames) shows until the
 * final message replaces it.
 *
 * Installs: renderMessage, onMessage, onDelta, disableOldActions (state, sendMessage and photoThumbs, from
 * connection.js, are looked up when used).
 */
(function () {
  "use strict";

  function install(w) {
    var el = w.el;
    var gettext = w.gettext;
    var safeUrl = w.safeUrl;
    var appendLinkified = w.appendLinkified;
    var log = w.log;
    var typing = w.typing;

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

    function renderSources(citations) {
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
          li.appendChild(el("a", { href: w.passageUrl(citation.chunk_id), target: "_blank", rel: "noopener noreferrer", class: "cd-passage" }, gettext("Read the whole passage")));
        }
        list.appendChild(li);
      });
      sources.appendChild(list);
      return sources;
    }

    function renderActions(actions) {
      disableOldActions();
      var group = el("div", { class: "cd-actions", role: "group", "aria-label": gettext("Suggested replies") });
      actions.forEach(function (action) {
        if (!action || typeof action.label !== "string") return;
        // dir auto: a label in another script (an English FAQ question in an Arabic panel) keeps its own direction;
        // one without a letter ("4 ★") the panel's.
        var button = el("button", { type: "button", class: "cd-quick", dir: w.textDir(action.label) }, action.label);
        button.addEventListener("click", function () {
          // A double tap sends it once (the second would be a stale button's message, and one more towards the
          // server's limit); the other buttons stay pressable until the reply comes.
          if (button.getAttribute("data-sent")) return;
          button.setAttribute("data-sent", "1");
          w.sendMessage(action.label, typeof action.value === "string" ? action.value : "");
          w.input.focus();
        });
        group.appendChild(button);
      });
      return group;
    }

    function renderMessage(frame) {
      var item = el("li", { class: "cd-msg cd-msg--" + frame.role, "data-seq": String(frame.seq) });
      var name = speaker(frame);
      // The citizen's and the assistant's labels follow the conversation's language (panel.js relabel); an agent's name stays.
      if (name) item.appendChild(el("p", { class: "cd-speaker", "data-speaker": frame.role === "agent" ? null : frame.role }, name));
      var photos = Array.isArray(frame.photos) ? frame.photos : [];
      if (frame.role === "citizen" && photos.length) {
        // The stored photo is for the agency's staff only: this page shows the copy it sent, if it has one.
        var thumb = frame.client_msg_id && w.photoThumbs[frame.client_msg_id];
        if (thumb) item.appendChild(el("img", { class: "cd-photo", src: thumb, alt: gettext("Your photo") }));
        item.appendChild(el("p", { class: "cd-text cd-photo-sent", dir: "auto" }, gettext("Photo sent")));
        if (frame.text && frame.text !== "📷") item.appendChild(appendLinkified(el("p", { class: "cd-text", dir: w.textDir(frame.text) }), frame.text, w.trackUrl));
      } else {
        item.appendChild(appendLinkified(el("p", { class: "cd-text", dir: w.textDir(frame.text) }), frame.text, w.trackUrl));
      }
      var citations = Array.isArray(frame.citations) ? frame.citations : [];
      citations = citations.filter(function (c) { return c && (c.title || safeUrl(c.url)); });
      if (citations.length) item.appendChild(renderSources(citations));
      var actions = Array.isArray(frame.actions) ? frame.actions : [];
      if (actions.length) item.appendChild(renderActions(actions));
      return item;
    }

    function onMessage(frame) {
      if (typeof frame.seq !== "number" || frame.seq <= w.state.lastSeq) return; // already shown
      w.state.lastSeq = frame.seq;
      if (frame.client_msg_id) {
        w.state.pending = w.state.pending.filter(function (p) { return p.client_msg_id !== frame.client_msg_id; });
        w.save();
        var echo = log.querySelector('[data-client-msg-id="' + CSS.escape(frame.client_msg_id) + '"]');
        if (echo) echo.parentNode.removeChild(echo);
      }
      if (frame.reply_to !== undefined && w.state.streams[frame.reply_to]) {
        var streaming = w.state.streams[frame.reply_to];
        streaming.parentNode.removeChild(streaming);
        delete w.state.streams[frame.reply_to];
      }
      if (frame.role !== "citizen") typing.textContent = "";
      // Only the latest message's buttons can be pressed: once the assistant, a system line or a person says
      // something newer, an older question's "Send" or "Pothole" would act on a step the conversation has left
      // (seen on make run; the server refuses such a button too), and once a person writes, "Back to the
      // assistant" and the rest would only send their label to that person.
      if (frame.role !== "citizen") disableOldActions();
      log.appendChild(renderMessage(frame));
      w.scrollDown();
    }

    function onDelta(frame) {
      var item = w.state.streams[frame.reply_to];
      if (!item) {
        item = el("li", { class: "cd-msg cd-msg--bot cd-msg--streaming", "aria-busy": "true" });
        item.appendChild(el("p", { class: "cd-speaker", "data-speaker": "bot" }, gettext("Assistant")));
        item.appendChild(el("p", { class: "cd-text", dir: "auto" }, ""));
        w.state.streams[frame.reply_to] = item;
        log.appendChild(item);
      }
      var text = item.querySelector(".cd-text");
      text.textContent = text.textContent + String(frame.text || "");
      typing.textContent = "";
      w.scrollDown();
    }

    w.disableOldActions = disableOldActions;
    w.renderMessage = renderMessage;
    w.onMessage = onMessage;
    w.onDelta = onDelta;
  }

  (window.CivicDeskChatParts = window.CivicDeskChatParts || {})[document.currentScript.src] = install;
})();
