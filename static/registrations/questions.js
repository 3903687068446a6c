// The question editor works without this script (every button posts the page). With it: the choices of a
// question show only when its kind of answer is a list, and after a button the page returns to the question
// it changed (or to the list of problems).
(function () {
  "use strict";
  const editor = document.getElementById("question-editor");
  if (!editor) return;
  const CHOICE_KINDS = ["single_choice", "multiple_choice"];

  function sync(question) {
    const kind = question.querySelector(".editor-kind");
    const choices = question.querySelector(".editor-choices");
    if (kind && choices) choices.hidden = !CHOICE_KINDS.includes(kind.value);
  }
  editor.querySelectorAll(".editor-question").forEach((question) => {
    sync(question);
    const kind = question.querySelector(".editor-kind");
    if (kind) kind.addEventListener("change", () => sync(question));
  });

  const summary = document.getElementById("error-summary");
  const target = summary || document.getElementById(editor.dataset.focus || "");
  if (target) {
    target.scrollIntoView({ block: "start" });
    const heading = target.matches("[tabindex]") ? target : target.querySelector("h2, h3");
    if (heading) {
      if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
      heading.focus({ preventScroll: true });
    }
  }
})();
