// Scan with the phone camera where the browser can read QR codes itself (BarcodeDetector);
// the code goes into the same field a hardware scanner types into, and the form is sent.
// Without BarcodeDetector (or without a camera this page may use, as over plain HTTP) the
// photo form below does the same through the server. A chosen photo is sent at once.
(function () {
  "use strict";
  const form = document.getElementById("scan-form");
  const field = document.getElementById("scan-code");
  const photoForm = document.getElementById("scan-photo-form");
  const photo = document.getElementById("scan-photo");
  const camera = document.getElementById("scan-camera");
  const start = document.getElementById("scan-camera-start");
  const video = document.getElementById("scan-video");
  const status = document.getElementById("scan-camera-status");
  if (!form || !field) return;

  if (photo && photoForm) {
    photo.addEventListener("change", function () {
      if (photo.files && photo.files.length) photoForm.submit();
    });
  }

  const mayUseCamera =
    "BarcodeDetector" in window &&
    window.isSecureContext &&
    navigator.mediaDevices &&
    typeof navigator.mediaDevices.getUserMedia === "function";
  if (!mayUseCamera || !camera || !start || !video) return;

  let stream = null;
  let detector = null;

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
  }

  function found(text) {
    stop();
    field.value = text;
    status.textContent = "Read " + text + ". Opening...";
    form.submit();
  }

  async function look() {
    if (!stream) return;
    try {
      const codes = await detector.detect(video);
      if (codes.length && codes[0].rawValue) return found(codes[0].rawValue);
    } catch (error) {
      // a frame the detector could not read: try the next one
    }
    window.setTimeout(look, 150);
  }

  start.addEventListener("click", async function () {
    if (stream) { stop(); start.textContent = "Scan with the camera"; return; }
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: "environment" } }, audio: false,
      });
    } catch (error) {
      status.textContent = "The camera is not available (" + error.name + "). Take a photo of the label below instead.";
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    start.textContent = "Stop the camera";
    status.textContent = "Point the camera at the label.";
    look();
  });

  BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (!formats.includes("qr_code")) return;
    detector = new BarcodeDetector({ formats: ["qr_code"] });
    camera.hidden = false;
  }).catch(function () { /* no detector after all: the photo form stays */ });

  window.addEventListener("pagehide", stop);
})();
