// "Copy" buttons (data-copy="<element id>"): shown only where the phone can copy, they put the
// element's text on the clipboard and say so in #copied.
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var said = document.getElementById("copied");
      navigator.clipboard.writeText(source ? source.textContent : "").then(
        function () { if (said) { said.textContent = button.textContent.replace("Copy", "Copied") + "."; } },
        function () { if (said) { said.textContent = "This phone did not let the page copy: download it instead."; } }
      );
    });
  });
})();
