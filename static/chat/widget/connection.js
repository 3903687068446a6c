/*
 * CivicDesk chat widget, part: talking to the portal (loaded by ../widget.js; see there).
 * Protocol: docs/chat-protocol.md.
 *
 * What a reload keeps: the conversation's token and the messages sent but not yet confirmed live in
 * localStorage under "civicdesk-chat:<socket origin>:<agency>"; the full chat page can be handed a token in
 * its #resume= fragment.
 * The socket: connects (a new conversation, or resumes the stored one after the last message shown), keeps
 * it alive, reconnects with backoff, resends what the server has not confirmed, and hands the frames to the
 * interface one after another.
 * A photo: the camera button's file is uploaded over HTTP into this conversation (POST
 * /api/v1/a/<slug>/chat/photo/ with the conversation's token, no cookies); the photo message and the
 * assistant's answer come back over the socket. This page shows its own copy of the photo (an object URL).
 *
 * Installs: state (the widget's one state object), save; connect, transmit, sendMessage; photoThumbs
 * (client_msg_id -> object URL, read by render.js), sendPhoto.
 */
(function () {
  "use strict";

  // --- what a reload keeps --------------------------------------------------------------------------
  function installSession(w) {
    var storageKey = w.urls.storageKey;
    var state;

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
    var resume = w.options.mode === "inline" ? /(?:^#|&)resume=([A-Za-z0-9_-]{20,100})/.exec(window.location.hash || "") : null;
    if (resume) {
      stored = { token: resume[1], pending: [] };
      try { window.history.replaceState(null, "", window.location.pathname + window.location.search); } catch (_e) { /* old browsers */ }
    }
    state = {
      token: stored.token || "",
      pending: Array.isArray(stored.pending) ? stored.pending : [], // sent, not yet echoed
      lastSeq: 0, // rendered up to here (a reload replays the whole transcript)
      socket: null,
      connected: false,
      retry: 0,
      who: { state: "bot", agent: "" },
      streams: {},
    };

    w.state = state;
    w.save = save;
  }

  // --- the socket ----------------------------------------------------------------------------------
  function installSocket(w) {
    var options = w.options;
    var state = w.state;
    var el = w.el;
    var gettext = w.gettext;
    var connection = w.connection;
    var crisisNotice = w.crisisNotice;

    // Frames are handled one after another; a reply in a new language waits for its catalogue, and
    // everything after it waits too, so the conversation never shows out of order.
    var frames = Promise.resolve();
    function handleLater(frame, handler) {
      frames = frames.then(function () {
        if (frame.type === "message" && frame.role === "bot" && typeof frame.language === "string" && frame.language) {
          return w.followLanguage(frame.language);
        }
      }).then(function () { handler(frame); }).catch(function () { /* one bad frame must not stop the rest */ });
    }

    function onHello(frame) {
      state.token = frame.token;
      state.connected = true;
      state.retry = 0;
      w.save();
      connection.textContent = "";
      w.setWho(frame.state, frame.agent);
      // The agency's name per language it lists: the header follows the conversation's language with it.
      if (frame.agency_names && typeof frame.agency_names === "object") w.agencyNames = frame.agency_names;
      if (frame.crisis) {
        crisisNotice.textContent = gettext("Emergency notice") + ": " + frame.crisis;
        crisisNotice.hidden = false;
      } else {
        crisisNotice.hidden = true;
      }
      // A resumed conversation keeps the language it was in.
      if (typeof frame.language === "string" && frame.language) {
        var language = frame.language;
        frames = frames.then(function () { return w.followLanguage(language); }).catch(function () {});
      }
      // Resend whatever was not confirmed (the server ignores repeated client_msg_ids).
      state.pending.forEach(function (p) { transmit(p); });
    }

    function connect() {
      var params = new URLSearchParams();
      if (state.token) {
        params.set("token", state.token);
        params.set("after_seq", String(state.lastSeq));
      } else {
        params.set("channel", options.channel);
        params.set("lang", options.lang);
      }
      var socket = new WebSocket(w.urls.ws + w.urls.socketPath + "?" + params.toString());
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
          onHello(frame);
        } else if (frame.type === "message") {
          handleLater(frame, w.onMessage);
        } else if (frame.type === "delta") {
          handleLater(frame, w.onDelta);
        } else if (frame.type === "typing") {
          handleLater(frame, w.onTyping);
        } else if (frame.type === "state") {
          handleLater(frame, function (f) {
            w.setWho(f.state, f.agent);
            if (f.state === "agent") w.disableOldActions(); // a person has joined (see render.js)
          });
        } else if (frame.type === "error") {
          if (frame.code === "invalid_token") return; // handled on close
          if (frame.code === "rate_limited") resendLater();
          handleLater(frame, w.showError);
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
          w.save();
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

    // A message the server refused as one too many (quick taps through a long form's buttons, found by the citizen
    // walk) was not stored: it stayed "sending" until a reconnect. The messages not echoed yet are sent again one at a
    // time, as the server's bucket gains a token (one a second): all at once, all but one were refused again. One the
    // server did store comes back a duplicate and is dropped there.
    var RESEND_MS = 1200;
    var resendQueue = [];
    function resendLater() {
      state.resendWanted = true; // a refusal while resending: the messages still not echoed go again after these
      if (!state.resendTimer) state.resendTimer = window.setTimeout(resendNext, RESEND_MS);
    }
    function resendNext() {
      if (!resendQueue.length && state.resendWanted) {
        resendQueue = state.pending.slice();
        state.resendWanted = false;
      }
      var pending = resendQueue.shift();
      if (!pending) {
        state.resendTimer = null;
        return;
      }
      if (state.pending.indexOf(pending) !== -1) transmit(pending); // not echoed meanwhile
      state.resendTimer = window.setTimeout(resendNext, RESEND_MS);
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
      var pending = { text: text, client_msg_id: w.uuid(), action: action || "" };
      state.pending.push(pending);
      w.save();
      // Shown at once as "sending"; replaced by the server's echo (with its seq).
      var item = el("li", { class: "cd-msg cd-msg--citizen cd-msg--sending", "data-client-msg-id": pending.client_msg_id });
      item.appendChild(el("p", { class: "cd-speaker", "data-speaker": "citizen" }, gettext("You")));
      item.appendChild(w.appendLinkified(el("p", { class: "cd-text", dir: w.textDir(text) }), text, w.trackUrl));
      w.log.appendChild(item);
      w.scrollDown();
      transmit(pending);
    }

    w.connect = connect;
    w.transmit = transmit;
    w.sendMessage = sendMessage;
  }

  // --- a photo: uploaded over HTTP into this conversation; it comes back over the socket -----------
  function installPhoto(w) {
    var state = w.state;
    var el = w.el;
    var gettext = w.gettext;
    var photoThumbs = {}; // client_msg_id -> this page's own copy of the photo (an object URL)
    var photoUrl = w.urls.http + "/api/v1/a/" + encodeURIComponent(w.options.agency) + "/chat/photo/";

    function sendPhoto(file) {
      if (!file) return;
      if (!state.token || typeof window.fetch !== "function" || typeof window.FormData !== "function") {
        w.showError({ message: gettext("The photo could not be sent. Try again.") });
        return;
      }
      var clientMsgId = w.uuid();
      var thumb = window.URL && window.URL.createObjectURL ? window.URL.createObjectURL(file) : "";
      if (thumb) photoThumbs[clientMsgId] = thumb;
      var item = el("li", { class: "cd-msg cd-msg--citizen cd-msg--sending", "data-client-msg-id": clientMsgId });
      item.appendChild(el("p", { class: "cd-speaker", "data-speaker": "citizen" }, gettext("You")));
      if (thumb) item.appendChild(el("img", { class: "cd-photo", src: thumb, alt: gettext("Your photo") }));
      item.appendChild(el("p", { class: "cd-text", dir: "auto" }, gettext("Sending the photo…")));
      w.log.appendChild(item);
      w.scrollDown();
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
          w.showError({ message: problem });
        });
    }

    w.photoInput.addEventListener("change", function () {
      var file = w.photoInput.files && w.photoInput.files[0];
      w.photoInput.value = ""; // the same photo can be chosen again
      sendPhoto(file);
    });

    w.photoThumbs = photoThumbs;
    w.sendPhoto = sendPhoto;
  }

  function install(w) {
    installSession(w);
    installSocket(w);
    installPhoto(w);
  }

  (window.CivicDeskChatParts = window.CivicDeskChatParts || {})[document.currentScript.src] = install;
})();
