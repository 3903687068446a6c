/*
 * The agents' inbox console: queue, claim, transcript, reply, internal note, hand back, close.
 * Live over /ws/a/<slug>/inbox/ (the staff session authenticates it). All content is rendered as
 * text (textContent), never as HTML.
 */
(function () {
  "use strict";

  var root = document.getElementById("console");
  if (!root) return;
  var agency = root.dataset.agency;
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  // The page's language: the socket labels the citizen's form drafts in it.
  var url = scheme + window.location.host + "/ws/a/" + encodeURIComponent(agency) + "/inbox/?lang=" +
    encodeURIComponent(document.documentElement.lang || "");

  function gettext(text) {
    return typeof window.gettext === "function" ? window.gettext(text) : text;
  }
  function interpolate(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key] === undefined ? "" : String(values[key]); });
  }
  function el(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function uuid() {
    return window.crypto && window.crypto.randomUUID ? window.crypto.randomUUID() : String(Date.now()) + Math.random();
  }
  function safeUrl(value) {
    try {
      var parsed = new URL(value, window.location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (_e) { return null; }
  }

  // Links in message text, as DOM nodes: the chat widget's part (static/chat/widget/links.js, loaded by the page
  // as #chat-links), installed on this page's el and safeUrl.
  var links = { el: el, safeUrl: safeUrl };
  window.CivicDeskChatParts[document.getElementById("chat-links").src](links);
  var appendLinkified = links.appendLinkified;

  // Staff open a reference on its staff page.
  function staffUrl(reference) {
    var kind = /-REG-/.test(reference) ? "registrations" : "requests";
    return safeUrl("/a/" + encodeURIComponent(agency) + "/staff/" + kind + "/" + encodeURIComponent(reference) + "/");
  }

  var status = document.getElementById("console-status");
  var lists = { queue: document.getElementById("queue"), mine: document.getElementById("mine"), others: document.getElementById("others") };
  var queueCount = document.getElementById("queue-count");
  var heading = document.getElementById("transcript-heading");
  var meta = document.getElementById("transcript-meta");
  var actions = document.getElementById("console-actions");
  var claimButton = document.getElementById("claim");
  var handbackButton = document.getElementById("handback");
  var closeButton = document.getElementById("close");
  var transcript = document.getElementById("transcript");
  var typing = document.getElementById("typing");
  var TYPING_SHOWN_MS = 8000;
  var typingTimer = null;
  function stopTyping() {
    if (typingTimer) window.clearTimeout(typingTimer);
    typingTimer = null;
    typing.textContent = "";
  }
  var composer = document.getElementById("composer");
  var composerText = document.getElementById("composer-text");
  var noteButton = document.getElementById("send-note");
  var draftsSection = document.getElementById("drafts");
  var draftsList = document.getElementById("drafts-list");

  var me = { id: null, name: "", supervisor: false };
  var conversations = {};
  var current = null; // the open conversation's id
  var socket = null;
  var retry = 0;
  var heartbeat = null;

  var shown = null; // the conversation the transcript shows (it may have left the lists)
  // A conversation's language by its name in the console's language ("Vietnamese", "Vietnamesisch"), not its code.
  var languageNames = null;
  try { languageNames = new Intl.DisplayNames([document.documentElement.lang || "en"], { type: "language" }); } catch (e) { languageNames = null; }
  function languageName(code) {
    if (!code) return "";
    try { return (languageNames && languageNames.of(code)) || code; } catch (e) { return code; }
  }
  var STATE_LABELS = {
    bot: gettext("With the assistant"), queued: gettext("Waiting for an agent"), agent: gettext("With an agent"), closed: gettext("Closed"),
  };
  // The channel a conversation came in on, in the list and the transcript's header (providers' names as they are).
  var CHANNEL_LABELS = {
    web: gettext("Web page"), widget: gettext("Widget"), whatsapp: "WhatsApp", telegram: "Telegram", messenger: "Messenger", sms: gettext("SMS"),
  };

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
  }
  // Languages and translation (static/chat/console_translate.js): the message's language, a translation on demand.
  var translate = window.CivicDeskConsoleTranslate && window.CivicDeskConsoleTranslate({
    gettext: gettext, interpolate: interpolate, el: el, send: send, languageName: languageName, transcript: transcript,
    composerText: composerText, current: function () { return current; },
  });

  function bucket(c) {
    if (c.state === "queued") return "queue";
    if (c.state === "agent" && c.assigned_agent_id === me.id) return "mine";
    if (c.state === "agent") return "others";
    return null;
  }

  // What the citizen asked for, in words (the transcript's header said "handoff").
  var INTENT_LABELS = {
    question: gettext("A question for the knowledge base"), report: gettext("Report a problem"), status: gettext("Check a status"),
    register: gettext("Register for a service"), handoff: gettext("Talk to a person"), feedback: gettext("Feedback or end of the chat"),
    greeting: gettext("Greeting or menu"),
  };

  function waited(c) {
    if (!c.queued_at) return "";
    var minutes = Math.floor(Math.max(0, Date.now() - Date.parse(c.queued_at)) / 60000);
    if (minutes < 1) return gettext("waiting under a minute"); // not "waiting 0 min"
    if (minutes < 60) return interpolate(gettext("waiting %(n)s min"), { n: minutes });
    // An hour and more in hours and minutes: "waiting 485 min" had to be worked out (session-25 walk).
    return interpolate(gettext("waiting %(h)s h %(m)s min"), { h: Math.floor(minutes / 60), m: minutes % 60 });
  }

  function itemMeta(c) {
    return [STATE_LABELS[c.state] || c.state, CHANNEL_LABELS[c.channel] || c.channel, languageName(c.language), waited(c), c.assigned_agent]
      .filter(Boolean).join(" · ");
  }

  // The waits grow while nobody writes: their words are redrawn each half minute (in place: focus stays put).
  window.setInterval(function () {
    Array.prototype.forEach.call(document.querySelectorAll("button[data-conversation-id] .item-meta"), function (span) {
      var c = conversations[span.parentNode.getAttribute("data-conversation-id")];
      if (c) span.textContent = itemMeta(c);
    });
  }, 30000);

  function renderLists() {
    Object.keys(lists).forEach(function (name) { lists[name].textContent = ""; });
    var queued = 0;
    Object.keys(conversations).map(function (id) { return conversations[id]; })
      .sort(function (a, b) { return String(a.queued_at || a.created_at).localeCompare(String(b.queued_at || b.created_at)); })
      .forEach(function (c) {
        var name = bucket(c);
        if (!name) return;
        if (name === "queue") queued += 1;
        var li = el("li", {});
        var button = el("button", { type: "button", "data-conversation-id": c.id });
        if (c.id === current) button.setAttribute("aria-current", "true");
        button.appendChild(el("span", { class: "item-meta" }, itemMeta(c)));
        if (c.last_text) button.appendChild(el("span", { class: "item-text" }, c.last_text));
        else button.appendChild(el("span", { class: "item-text" }, interpolate(gettext("Conversation %(id)s"), { id: c.id.slice(0, 8) })));
        button.addEventListener("click", function () { openConversation(c.id); });
        li.appendChild(button);
        lists[name].appendChild(li);
      });
    queueCount.textContent = String(queued);
    document.title = (queued ? "(" + queued + ") " : "") + document.title.replace(/^\(\d+\) /, "");
  }

  function openConversation(id) {
    if (current && current !== id) send({ type: "leave", conversation_id: current });
    current = id;
    transcript.textContent = "";
    renderDrafts([]);
    stopTyping();
    send({ type: "open", conversation_id: id });
    renderLists();
  }

  function roleLabel(frame) {
    if (frame.role === "citizen") return gettext("Citizen");
    if (frame.role === "bot") return gettext("Assistant");
    if (frame.role === "agent") return frame.author || gettext("Agent");
    return gettext("System");
  }

  function renderMessage(frame) {
    if (transcript.querySelector('[data-seq="' + frame.seq + '"]')) return;
    var li = el("li", { class: "role-" + frame.role, "data-seq": String(frame.seq) });
    li.appendChild(el("span", { class: "who" }, "#" + frame.seq + " " + roleLabel(frame)));
    li.appendChild(appendLinkified(el("p", { class: "text" }), frame.text, staffUrl));
    if (translate) translate.decorate(li, frame);
    // A photo or a shared location the person sent on a messaging channel.
    (frame.photos || []).forEach(function (url, index) {
      if (typeof url !== "string" || url.charAt(0) !== "/" || url.charAt(1) === "/") return;
      var label = interpolate(gettext("Photo %(n)s sent by the citizen"), { n: index + 1 });
      var link = el("a", { href: url, target: "_blank", rel: "noopener noreferrer", class: "photo" });
      var img = el("img", { src: url, alt: label, width: "160", loading: "lazy" });
      link.appendChild(img);
      li.appendChild(link);
    });
    if (frame.location && isFinite(frame.location.lat) && isFinite(frame.location.lng)) {
      li.appendChild(el("p", { class: "location" }, interpolate(gettext("Shared location: %(lat)s, %(lng)s"),
        { lat: Number(frame.location.lat).toFixed(5), lng: Number(frame.location.lng).toFixed(5) })));
    }
    var cites = (frame.citations || []).filter(function (c) { return c && (c.title || safeUrl(c.url)); });
    if (cites.length) {
      var p = el("p", { class: "sources" }, gettext("Sources:") + " ");
      cites.forEach(function (c, index) {
        if (index) p.appendChild(document.createTextNode(", "));
        var name = String(c.title || c.url) + (c.version ? " (v" + c.version + ")" : "");
        var href = safeUrl(c.url);
        p.appendChild(href ? el("a", { href: href, target: "_blank", rel: "noopener noreferrer" }, name) : el("span", {}, name));
      });
      li.appendChild(p);
    }
    insertOrdered(li, frame.created_at);
  }

  // The forms the citizen left half-way (or is filling in now): the steps answered and their values, as the
  // server labelled and masked them for this member.
  // The agent who has taken the conversation completes a draft for the citizen on its own page (chat.completion).
  var shownDrafts = [];
  function renderDrafts(drafts) {
    shownDrafts = drafts || [];
    draftsList.textContent = "";
    var open = conversations[current] || (shown && shown.id === current ? shown : null);
    var mine = !!open && open.state === "agent" && open.assigned_agent_id === me.id;
    (drafts || []).forEach(function (draft) {
      var article = el("article", { class: "console-draft" + (draft.in_progress ? " in-progress" : ""), "data-skill": draft.skill });
      article.appendChild(el("h4", {}, draft.title));
      (draft.lines || []).forEach(function (line) { if (line) article.appendChild(el("p", { class: "muted" }, line)); });
      var list = el("dl", {});
      (draft.answers || []).forEach(function (answer) {
        list.appendChild(el("dt", {}, answer.question));
        list.appendChild(el("dd", { "data-field": answer.field }, answer.text));
      });
      if (list.children.length) article.appendChild(list);
      if (mine) {
        var href = safeUrl("/a/" + encodeURIComponent(agency) + "/staff/inbox/" + encodeURIComponent(current) +
          "/forms/" + encodeURIComponent(draft.skill) + "/complete/");
        if (href) article.appendChild(el("a", { href: href, target: "_blank", rel: "noopener", class: "button complete-draft" }, gettext("Complete for the citizen")));
      }
      draftsList.appendChild(article);
    });
    draftsSection.hidden = !draftsList.children.length;
  }

  function renderNote(frame) {
    if (transcript.querySelector('[data-note="' + frame.id + '"]')) return;
    var li = el("li", { class: "role-note", "data-note": String(frame.id) });
    li.appendChild(el("span", { class: "who" }, interpolate(gettext("Internal note by %(name)s"), { name: frame.author })));
    li.appendChild(appendLinkified(el("p", { class: "text" }), frame.text, staffUrl));
    insertOrdered(li, frame.created_at);
  }

  function insertOrdered(li, createdAt) {
    li.setAttribute("data-at", createdAt || "");
    var after = null;
    Array.prototype.forEach.call(transcript.children, function (child) {
      if (!after && createdAt && child.getAttribute("data-at") > createdAt) after = child;
    });
    transcript.insertBefore(li, after);
    transcript.scrollTop = transcript.scrollHeight;
  }

  function showConversation(c) {
    shown = c;
    heading.textContent = interpolate(gettext("Conversation %(id)s"), { id: c.id.slice(0, 8) });
    meta.textContent = [STATE_LABELS[c.state] || c.state, CHANNEL_LABELS[c.channel] || c.channel, languageName(c.language), INTENT_LABELS[c.intent] || c.intent, c.assigned_agent]
      .filter(Boolean).join(" · ");
    actions.hidden = false;
    var mine = c.state === "agent" && c.assigned_agent_id === me.id;
    claimButton.hidden = !(c.state === "queued" || c.state === "bot");
    handbackButton.hidden = !(c.state === "agent" && (mine || me.supervisor));
    closeButton.hidden = c.state === "closed" || (c.state === "agent" && !mine && !me.supervisor);
    composer.hidden = false;
    document.getElementById("send-reply").disabled = !mine;
    if (translate) translate.conversation(c, mine);
    if (c.id === current) renderDrafts(shownDrafts); // "Complete for the citizen" follows who has the conversation
  }

  function onFrame(frame) {
    switch (frame.type) {
      case "hello":
        me = { id: frame.agent.id, name: frame.agent.name, supervisor: !!frame.supervisor };
        if (translate) translate.hello(frame.translation);
        conversations = {};
        frame.conversations.forEach(function (c) { conversations[c.id] = c; });
        status.textContent = interpolate(gettext("Signed in as %(name)s. Agents online: %(n)s."), { name: me.name, n: frame.agents_online });
        renderLists();
        if (current) send({ type: "open", conversation_id: current });
        break;
      case "pong":
        status.textContent = interpolate(gettext("Signed in as %(name)s. Agents online: %(n)s."), { name: me.name, n: frame.agents_online });
        break;
      case "conversation":
        var previous = conversations[frame.conversation.id] || {};
        if (frame.conversation.last_text === null) frame.conversation.last_text = previous.last_text;
        conversations[frame.conversation.id] = frame.conversation;
        renderLists();
        if (frame.conversation.id === current) showConversation(frame.conversation);
        break;
      case "conversation_removed":
        delete conversations[frame.conversation_id];
        renderLists();
        break;
      case "transcript":
        if (frame.conversation.id !== current) return;
        conversations[frame.conversation.id] = Object.assign(conversations[frame.conversation.id] || {}, frame.conversation);
        transcript.textContent = "";
        frame.messages.forEach(renderMessage);
        frame.notes.forEach(renderNote);
        renderDrafts(frame.drafts);
        if (translate) translate.transcript(frame.translations);
        showConversation(frame.conversation);
        heading.focus();
        break;
      case "message":
        if (frame.conversation_id === current) renderMessage(frame);
        // The list previews what the citizen last wrote, not the bot's or an agent's reply.
        if (conversations[frame.conversation_id] && frame.role === "citizen") {
          conversations[frame.conversation_id].last_text = frame.text.slice(0, 140);
          renderLists();
        }
        // A message ends its writer's typing, the citizen's too: the widget never says it stopped, and "The citizen
        // is typing…" stayed under the citizen's sent message until the agent answered (session-25 walk).
        if (frame.conversation_id === current) stopTyping();
        if (frame.role === "agent" && translate) translate.sent();
        break;
      case "note":
        if (frame.conversation_id === current) renderNote(frame);
        break;
      case "translation":
        if (translate) translate.translation(frame);
        break;
      case "drafts":
        if (frame.conversation_id === current) renderDrafts(frame.drafts);
        break;
      case "state":
        // After a hand back the conversation has left this agent's lists (conversation_removed came first):
        // the open transcript's header still follows it.
        var open = conversations[current] || (shown && shown.id === current ? shown : null);
        if (frame.conversation_id === current && open) {
          open.state = frame.state;
          showConversation(open);
        }
        break;
      case "typing":
        if (frame.conversation_id !== current) return;
        stopTyping();
        if (!frame.active) break;
        typing.textContent = frame.role === "citizen" ? gettext("The citizen is typing…") : gettext("The assistant is typing…");
        // The widget repeats the signal every 3 s while the citizen types: without one for a while, they stopped (the
        // assistant's ends with its reply or an inactive frame, however long the turn).
        if (frame.role === "citizen") typingTimer = window.setTimeout(stopTyping, TYPING_SHOWN_MS);
        break;
      case "error":
        status.textContent = frame.message;
        if (translate) translate.failed();
        break;
    }
  }

  function connect() {
    socket = new WebSocket(url);
    status.textContent = retry ? gettext("Reconnecting…") : gettext("Connecting…");
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (_e) { return; }
      retry = 0;
      onFrame(frame);
    });
    socket.addEventListener("open", function () {
      heartbeat = window.setInterval(function () { send({ type: "ping" }); }, 20000);
    });
    socket.addEventListener("close", function (event) {
      window.clearInterval(heartbeat);
      if (event.code === 4404) {
        status.textContent = gettext("You do not have access to this inbox.");
        return;
      }
      retry += 1;
      status.textContent = gettext("Connection lost. Reconnecting…");
      window.setTimeout(connect, Math.min(10000, 500 * Math.pow(2, Math.min(retry, 5))));
    });
  }

  claimButton.addEventListener("click", function () { if (current) send({ type: "claim", conversation_id: current }); });
  handbackButton.addEventListener("click", function () { if (current) send({ type: "handback", conversation_id: current }); });
  closeButton.addEventListener("click", function () { if (current) send({ type: "close", conversation_id: current }); });
  composer.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = composerText.value.trim();
    if (!text || !current) return;
    var reply = { type: "reply", conversation_id: current, text: text, client_msg_id: uuid() };
    if (translate && translate.wanted(text)) reply.translate = true;
    send(reply);
    composerText.value = "";
    composerText.focus();
  });
  noteButton.addEventListener("click", function () {
    var text = composerText.value.trim();
    if (!text || !current) return;
    send({ type: "note", conversation_id: current, text: text });
    composerText.value = "";
    composerText.focus();
  });
  var lastTyping = 0;
  composerText.addEventListener("input", function () {
    if (!current || Date.now() - lastTyping < 3000) return;
    lastTyping = Date.now();
    send({ type: "typing", conversation_id: current, active: true });
  });
  composerText.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) composer.requestSubmit();
  });

  connect();
})();
