// Progressive enhancement: submit the language form as soon as a language is chosen.
// Without JavaScript the "Change" button does the same.
document.querySelectorAll(".language-switcher select").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
