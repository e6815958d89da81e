// The wrap count: Enter (the number pad's Next/Go) after a number moves to the next number
// field instead of sending the form, so a count is one tap per firearm, typing per lot, and
// one tap to record. On the last field, Enter records as usual.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (event.key !== "Enter" || !field.form || !field.form.classList.contains("count") || field.type !== "number") {
      return;
    }
    var numbers = Array.prototype.slice.call(field.form.querySelectorAll("input[type=number]"));
    var next = numbers[numbers.indexOf(field) + 1];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });
})();
