/*
 * The console's languages: each citizen message says the language it is written in; with a language model
 * configured (the socket's hello says `translation: true`) a citizen's message in another language than the
 * console's can be translated into it ("Translate"), and a reply can be sent translated into the conversation's
 * language, the agent's own words kept beside it. Without one there is no such button or choice at all.
 * Loaded before console.js, which calls `window.CivicDeskConsoleTranslate(api)` and the hooks it returns.
 */
(function () {
  "use strict";

  window.CivicDeskConsoleTranslate = function (api) {
    var gettext = api.gettext, interpolate = api.interpolate, el = api.el;
    var available = false;
    var mine = (document.documentElement.lang || "en").toLowerCase();
    var lastTranslated = null; // the text of a reply sent for translation, given back to the composer on failure

    function primary(code) { return String(code || "").toLowerCase().split("-")[0]; }
    function foreign(code) { return !!code && primary(code) !== primary(mine); }
    // A language's name inside a sentence: the browser's names are lower case in Spanish and French already
    // ("en inglés"); Vietnamese "Tiếng Anh" is "tiếng Anh" there (the word for language is not capitalised).
    function inSentence(code) {
      var name = api.languageName(code) || code;
      return primary(mine) === "vi" ? name.charAt(0).toLowerCase() + name.slice(1) : name;
    }

    // The composer's choice: "Send in Spanish (translated)"; shown only when it can work.
    var option = el("p", { class: "console-translate-option", hidden: "" });
    var checkbox = el("input", { type: "checkbox", id: "composer-translate" });
    var optionLabel = el("label", { for: "composer-translate" });
    option.appendChild(checkbox);
    option.appendChild(document.createTextNode(" "));
    option.appendChild(optionLabel);
    api.composerText.parentNode.insertBefore(option, api.composerText.nextSibling);

    function translationNode(li, language, text, kind) {
      var existing = li.querySelector('.translation[data-language="' + language + '"][data-kind="' + kind + '"]');
      if (existing) return;
      var label = kind === "original"
        ? interpolate(gettext("Written by the agent in %(language)s:"), { language: inSentence(language) })
        : interpolate(gettext("Translation into %(language)s (language model):"), { language: inSentence(language) });
      var box = el("div", { class: "translation", "data-language": language, "data-kind": kind });
      box.appendChild(el("span", { class: "muted" }, label + " "));
      box.appendChild(el("span", { lang: language, dir: "auto" }, text));
      var button = li.querySelector("button.translate");
      if (button && kind === "translation") button.remove();
      li.appendChild(box);
    }

    return {
      hello: function (translation) { available = !!translation; },
      decorate: function (li, frame) {
        var text = li.querySelector(".text");
        if (frame.language && text) {
          text.setAttribute("lang", frame.language);
          text.setAttribute("dir", "auto");
        }
        if (frame.role === "citizen" && frame.language) {
          li.querySelector(".who").appendChild(document.createTextNode(" · " + (api.languageName(frame.language) || frame.language)));
        }
        if (frame.role === "citizen" && available && foreign(frame.language)) {
          var button = el("button", { type: "button", class: "secondary translate" },
            interpolate(gettext("Translate into %(language)s"), { language: inSentence(mine) }));
          button.addEventListener("click", function () {
            button.disabled = true;
            api.send({ type: "translate", conversation_id: api.current(), seq: frame.seq });
          });
          li.appendChild(button);
        }
        if (frame.original && frame.original.text) translationNode(li, frame.original.language || "", frame.original.text, "original");
      },
      translation: function (frame) {
        if (frame.conversation_id !== api.current()) return;
        var li = api.transcript.querySelector('[data-seq="' + frame.seq + '"]');
        if (li) translationNode(li, frame.language, frame.text, "translation");
      },
      transcript: function (frames) { (frames || []).forEach(this.translation); },
      conversation: function (c, replying) {
        var show = available && replying && foreign(c.language);
        option.hidden = !show;
        if (!show) { checkbox.checked = false; return; }
        optionLabel.textContent = interpolate(gettext("Send in %(language)s, translated by the language model (your words are kept in the transcript)"),
          { language: inSentence(c.language) });
      },
      wanted: function (text) {
        if (option.hidden || !checkbox.checked) return false;
        lastTranslated = text;
        return true;
      },
      failed: function () {
        Array.prototype.forEach.call(api.transcript.querySelectorAll("button.translate[disabled]"), function (b) { b.disabled = false; });
        if (lastTranslated && !api.composerText.value) api.composerText.value = lastTranslated;
        lastTranslated = null;
      },
      sent: function () { lastTranslated = null; },
    };
  };
})();
