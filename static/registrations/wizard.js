// Progressive enhancement for the registration wizard: questions whose show-if condition depends on
// answers in the same step appear and disappear as the person answers. Without JavaScript every
// question is shown and the server ignores answers to questions that do not apply.
(function () {
  "use strict";
  const form = document.querySelector("form.wizard");
  if (!form) return;
  const known = JSON.parse(form.dataset.answers || "{}");

  function value(name) {
    const inputs = form.querySelectorAll(`[name="${CSS.escape(name)}"]`);
    if (!inputs.length) return known[name];
    const first = inputs[0];
    if (first.type === "checkbox") {
      return Array.from(inputs).filter((i) => i.checked).map((i) => i.value);
    }
    if (first.type === "radio") {
      const chosen = Array.from(inputs).find((i) => i.checked);
      if (!chosen) return null;
      if (chosen.value === "yes") return true;
      if (chosen.value === "no") return false;
      return chosen.value;
    }
    const text = first.value.trim();
    if (text === "") return null;
    const number = Number(text);
    return Number.isNaN(number) ? text : number;
  }

  function answered(v) {
    return !(v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0));
  }

  function evaluate(c) {
    if (!c) return true;
    if (c.all) return c.all.every(evaluate);
    if (c.any) return c.any.some(evaluate);
    if (c.not) return !evaluate(c.not);
    const v = value(c.field);
    if ("equals" in c) return answered(v) && v === c.equals;
    if ("not_equals" in c) return !(answered(v) && v === c.not_equals);
    if ("in" in c) return answered(v) && c.in.includes(v);
    if ("not_in" in c) return !(answered(v) && c.not_in.includes(v));
    if ("contains" in c) return Array.isArray(v) && v.includes(c.contains);
    if ("answered" in c) return answered(v) === c.answered;
    if (!answered(v) || typeof v === "boolean") return false;
    if ("gt" in c) return v > c.gt;
    if ("gte" in c) return v >= c.gte;
    if ("lt" in c) return v < c.lt;
    if ("lte" in c) return v <= c.lte;
    return false;
  }

  const conditional = Array.from(form.querySelectorAll("[data-show-if]"));
  function update() {
    conditional.forEach((el) => {
      const show = evaluate(JSON.parse(el.dataset.showIf));
      el.hidden = !show;
      el.querySelectorAll("input, select, textarea").forEach((input) => { input.disabled = !show; });
    });
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();

  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
