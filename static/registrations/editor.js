// Live preview of a form definition: the JSON is validated and rendered by the server as the admin
// types (debounced), so the preview is exactly what citizens will see.
(function () {
  "use strict";
  const textarea = document.getElementById("definition");
  if (!textarea) return;
  const preview = document.getElementById("preview");
  const errors = document.getElementById("preview-errors");
  const status = document.getElementById("preview-status");
  const lang = document.getElementById("preview-lang");
  const csrf = document.querySelector("#definition-form [name=csrfmiddlewaretoken]").value;
  let timer = null;
  let sequence = 0;

  async function refresh() {
    const mine = ++sequence;
    status.textContent = gettext("Checking…");
    try {
      const response = await fetch(`${textarea.dataset.previewUrl}?lang=${encodeURIComponent(lang.value)}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: textarea.value,
        credentials: "same-origin",
      });
      if (mine !== sequence) return;
      const data = await response.json();
      errors.replaceChildren(...(data.errors || []).map((text) => {
        const li = document.createElement("li");
        li.textContent = text;
        return li;
      }));
      if (data.ok) {
        preview.innerHTML = data.html;  // rendered by our own templates, with escaping
        status.textContent = gettext("Valid. Preview updated.");
      } else {
        status.textContent = interpolate(ngettext("%s problem", "%s problems", data.errors.length), [data.errors.length]);
      }
    } catch (error) {
      status.textContent = gettext("The preview is not available right now.");
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  }
  textarea.addEventListener("input", schedule);
  lang.addEventListener("change", refresh);
  refresh();
})();
