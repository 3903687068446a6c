// Knowledge base staff pages: drag-and-drop upload with an upload progress bar, and live indexing
// progress (polls the version API). Everything works without JavaScript too (plain forms, reload).
(function () {
  "use strict";
  const labelsNode = document.getElementById("kb-labels");
  const labels = labelsNode ? JSON.parse(labelsNode.textContent) : {};

  // --- drag and drop onto the file input's zone ---------------------------------------------
  document.querySelectorAll("[data-dropzone]").forEach((zone) => {
    const input = zone.querySelector("input[type=file]");
    const name = zone.querySelector("[data-role=filename]");
    const show = () => { name.textContent = input.files.length ? input.files[0].name : ""; };
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach((type) => zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add("kb-dragging");
    }));
    ["dragleave", "dragend"].forEach((type) => zone.addEventListener(type, () => zone.classList.remove("kb-dragging")));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("kb-dragging");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        show();
      }
    });
  });

  // --- upload with a progress bar (XHR reports upload progress; fetch does not) -----------------
  document.querySelectorAll("form[data-upload]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.FormData || !window.XMLHttpRequest) return;
      event.preventDefault();
      const box = form.querySelector("[data-role=upload-progress]");
      const bar = box && box.querySelector("progress");
      const button = form.querySelector("button[type=submit]");
      if (box) box.hidden = false;
      if (button) button.disabled = true;
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || window.location.pathname + window.location.search);
      xhr.upload.addEventListener("progress", (e) => {
        if (bar && e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
      });
      xhr.addEventListener("load", () => {
        if (xhr.status >= 200 && xhr.status < 300 && xhr.responseURL && !xhr.responseURL.endsWith("#")) {
          window.location.assign(xhr.responseURL);
          return;
        }
        // Validation errors: the server answered with the page and its error messages; show it.
        if (xhr.responseText && xhr.responseText.indexOf("<html") !== -1) {
          document.open();
          document.write(xhr.responseText);
          document.close();
        } else {
          if (button) button.disabled = false;
          window.alert(labels.uploadFailed || "Upload failed");
        }
      });
      xhr.addEventListener("error", () => {
        if (button) button.disabled = false;
        window.alert(labels.networkError || "Network error");
      });
      xhr.send(new FormData(form));
    });
  });

  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });

  // --- live indexing progress ------------------------------------------------------------------
  function watch(node) {
    const status = node.dataset.status;
    if (status !== "indexing" && status !== "draft") return;
    const url = node.dataset.progressUrl;
    let misses = 0;
    const tick = () => {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
        .then((data) => {
          misses = 0;
          render(node, data);
          if (data.status === "indexing" || (data.status === "draft" && data.progress.total > data.progress.done)) {
            window.setTimeout(tick, 1000);
          } else if (document.body.querySelector("[data-reload-when-indexed]")) {
            window.location.reload(); // show the new passages and version table
          }
        })
        .catch(() => { if (++misses < 5) window.setTimeout(tick, 3000); });
    };
    window.setTimeout(tick, 500);
  }

  function render(node, data) {
    node.dataset.status = data.status;
    const badge = node.querySelector("[data-role=status]");
    badge.textContent = labels[data.status] || data.status;
    badge.className = "badge kb-status kb-status-" + data.status;
    let bar = node.querySelector("progress");
    let count = node.querySelector("[data-role=count]");
    if (data.status === "indexing" || data.status === "draft") {
      if (!bar) {
        bar = document.createElement("progress");
        bar.setAttribute("aria-label", badge.textContent);
        node.appendChild(bar);
      }
      if (!count) {
        count = document.createElement("span");
        count.dataset.role = "count";
        node.appendChild(count);
      }
      bar.max = Math.max(1, data.progress.total);
      bar.value = data.progress.done;
      count.textContent = data.progress.done + "/" + data.progress.total;
    } else {
      if (bar) bar.remove();
      if (count) count.remove();
      if (data.status === "failed" && data.error) {
        const error = document.createElement("span");
        error.className = "kb-error";
        error.textContent = data.error;
        node.appendChild(error);
      }
    }
  }

  function init() {
    document.querySelectorAll("[data-progress-url]").forEach(watch);
  }
  init();
})();
