// The STOP WORK banner (#alarm) is fetched every second. Swapping identical content would make
// a screen reader announce it again every second (the region is aria-live="assertive"), so a
// swap happens only when the banner changes: its data-alarm key (when work stopped, lockdown)
// differs from the one on the page, or it appears or goes.
(function () {
  "use strict";
  var KEY = /data-alarm="([^"]*)"/;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "alarm" || !event.detail.xhr || event.detail.xhr.status !== 200) {
      return;
    }
    var now = target.querySelector("[data-alarm]");
    var current = now ? now.getAttribute("data-alarm") : null;
    var found = KEY.exec(event.detail.serverResponse || "");
    var incoming = found ? found[1] : null;
    if (current === incoming) {
      event.detail.shouldSwap = false;
    } else {
      // Pages that show readiness (Today) listen for this and refresh at once, so a scene is
      // never shown READY under a STOP WORK banner.
      window.setTimeout(function () {
        document.body.dispatchEvent(new CustomEvent("alarmchanged"));
      }, 0);
    }
  });
})();
