/*
 * CivicDesk chat widget, part: the interface (loaded by ../widget.js; see there).
 * A bubble (a launcher button and a dialog) or an inline region: header (title, who is answering, the
 * connection, the crisis notice), the conversation log, the typing line and the composer.
 *
 * Installs: the nodes (root, log, connection, crisisNotice, typing, form, input, photoInput, …) and mount,
 * open, close, scrollDown, setWho, onTyping, showError, relabel (state and connect, from connection.js, are
 * looked up when used).
 */
(function () {
  "use strict";

  function install(w) {
    var options = w.options;
    var el = w.el;
    var gettext = w.gettext;
    var interpolate = w.interpolate;
    var textDirection = w.textDirection;

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
    var introText = el("p", { class: "cd-text", dir: "auto" }, gettext("Ask a question in your own words, or say “Hi” to see what I can do."));
    intro.appendChild(introText);
    log.appendChild(intro);
    var typing = el("p", { class: "cd-typing", "aria-live": "polite" });
    var form = el("form", { class: "cd-composer" });
    var label = el("label", { for: ids + "-input", class: "cd-visually-hidden" }, gettext("Your message"));
    var input = el("textarea", { id: ids + "-input", rows: "2", maxlength: "2000", placeholder: gettext("Type your message…"), autocomplete: "off" });
    var send = el("button", { type: "submit", class: "cd-send" }, gettext("Send"));
    // Attach a photo: a real file input (keyboard and screen readers know it), shown as a camera button.
    var photoInput = el("input", { type: "file", id: ids + "-photo", accept: "image/*", class: "cd-visually-hidden cd-attach-input" });
    var photoLabel = el("label", { for: ids + "-photo", class: "cd-attach", title: gettext("Attach a photo") });
    photoLabel.appendChild(w.cameraIcon());
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
        var css = el("link", { rel: "stylesheet", href: w.urls.http + "/static/chat/widget.css", "data-civicdesk-chat": "1" });
        document.head.appendChild(css);
      }
      var host = options.target ? document.getElementById(options.target) : null;
      (host || document.body).appendChild(root);
      if (options.mode === "inline") w.connect();
    }

    function open() {
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      launcher.hidden = true;
      if (!w.state.socket) w.connect();
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

    function setWho(newState, agent) {
      w.state.who = { state: newState, agent: agent || "" };
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
      // The server's message is English (for API clients); the widget says the ones it knows in its own language.
      var own = frame.code === "rate_limited" ? gettext("Too many messages; wait a moment and try again.") : "";
      item.appendChild(el("p", { class: "cd-text", dir: "auto" }, own || frame.message || gettext("Something went wrong.")));
      log.appendChild(item);
      scrollDown();
    }

    // The widget's own words in the conversation's language (the assistant's latest reply says which).
    function relabel() {
      var language = w.uiLanguage();
      root.setAttribute("lang", language);
      root.setAttribute("dir", textDirection(language));
      // The agency's name in the conversation's language, as the socket's hello gave it (the page's otherwise).
      var named = (w.agencyNames && w.agencyNames[language]) || options.agencyName;
      title.textContent = options.agencyName
        ? interpolate(gettext("Chat with %(name)s"), { name: named }) : gettext("Chat with us");
      setWho(w.state.who.state, w.state.who.agent);
      label.textContent = gettext("Your message");
      input.setAttribute("placeholder", gettext("Type your message…"));
      send.textContent = gettext("Send");
      photoLabel.setAttribute("title", gettext("Attach a photo"));
      photoLabelText.textContent = gettext("Attach a photo");
      region.setAttribute("aria-label", gettext("Conversation"));
      if (closeButton) closeButton.setAttribute("aria-label", gettext("Close the chat"));
      if (launcher) launcher.textContent = gettext("Chat with us");
      introText.textContent = gettext("Ask a question in your own words, or say “Hi” to see what I can do.");
      // Every message's speaker, earlier ones too: "나" above an English reply read as two languages at once (and a
      // transcript reloaded after a switch labelled each message in the language it arrived in).
      Array.prototype.forEach.call(log.querySelectorAll(".cd-speaker[data-speaker]"), function (speaker) {
        speaker.textContent = speaker.getAttribute("data-speaker") === "citizen" ? gettext("You") : gettext("Assistant");
      });
    }

    w.root = root;
    w.log = log;
    w.connection = connection;
    w.crisisNotice = crisisNotice;
    w.typing = typing;
    w.form = form;
    w.input = input;
    w.photoInput = photoInput;
    w.mount = mount;
    w.open = open;
    w.close = close;
    w.scrollDown = scrollDown;
    w.setWho = setWho;
    w.onTyping = onTyping;
    w.showError = showError;
    w.relabel = relabel;
  }

  (window.CivicDeskChatParts = window.CivicDeskChatParts || {})[document.currentScript.src] = install;
})();
