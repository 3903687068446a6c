// The status form: the "move back" confirmation shows (and is required) only when the chosen status
// undoes work. The server checks the same thing; this only saves a round trip.
(function () {
  "use strict";
  var select = document.getElementById("id_to_status");
  var box = document.getElementById("id_confirm_backward");
  if (!select || !box) return;
  var field = box.closest(".field");
  var backward = (select.getAttribute("data-backward") || "").split(" ").filter(Boolean);
  function update() {
    var needed = backward.indexOf(select.value) !== -1;
    field.hidden = !needed;
    box.required = needed;
    if (!needed) box.checked = false;
  }
  select.addEventListener("change", update);
  update();
})();
