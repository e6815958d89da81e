// A tap that lands within BOUNCE ms of a press, on a form marked data-press-bounce, is the
// same press (a bounce, a gloved double tap on the button just swapped in under the thumb):
// it is sent with the first press's key, and the server records it once
// (showclear.web.floor.presses). A form that is swapped out by its own answer (a scene's
// Start that becomes Wrap, a break's Call that becomes End) names its place in the attribute
// (data-press-bounce="breaks"): the new form there counts as the same one.
(function () {
  "use strict";
  var BOUNCE = 600;
  var last = null;
  document.addEventListener("htmx:configRequest", function (evt) {
    var elt = evt.detail.elt;
    var form = elt && elt.closest ? elt.closest("form[data-press-bounce]") : null;
    if (!form) { return; }
    var data = evt.detail.formData;
    var params = evt.detail.parameters;
    var key = data ? data.get("press") : params.press;
    if (!key) { return; }
    var now = Date.now();
    var place = form.getAttribute("data-press-bounce") || form;
    if (last !== null && now - last.at < BOUNCE && last.place === place) {
      if (data) { data.set("press", last.key); }
      if (params) { params.press = last.key; }
      return;
    }
    last = { key: key, at: now, place: place };
  });
}());
