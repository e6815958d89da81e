// The firearm page: opening an action (Inspect, Load, Lock away...) brings its button under the
// thumb, so the press that records it needs no scroll. The toggle event does not bubble: it is
// heard on its way down.
(function () {
  "use strict";
  document.addEventListener("toggle", function (event) {
    var action = event.target;
    if (!action.matches || !action.matches("details.fa-act") || !action.open) {
      return;
    }
    var buttons = action.querySelectorAll("button[type=submit]");
    if (buttons.length) {
      buttons[buttons.length - 1].scrollIntoView({ block: "nearest" });
    }
  }, true);
})();
