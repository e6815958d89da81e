// Verifying a lot: once the witness is scanned and the method chosen, the next thing to press is
// the first round's button, far below the two fieldsets on a phone. Choosing the method brings
// it under the thumb (each round's press then swaps the next button in at the same place).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var choice = event.target;
    if (!choice.form || choice.form.id !== "verify" || choice.name !== "method") {
      return;
    }
    var next = choice.form.querySelector("#lot-live .rounds button");
    if (next) {
      next.scrollIntoView({ block: "center" });
    }
  });
})();
