/* The sales-point desk's camera scanner, on the receive and pickup pages.
 *
 * Progressive enhancement: the code forms work by typing or with a keyboard-wedge scanner; this adds a
 * "Scan with the camera" button where the browser may ask for a camera (HTTPS or localhost only).
 * QR codes are read with the browser's BarcodeDetector where it reads QR codes, else with the vendored
 * jsQR (static/vendor/jsqr), fetched only then. A decoded code fills the input and submits its form.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var jsqrUrl = script && script.getAttribute("data-jsqr");
  var dialog = document.getElementById("scan-dialog");
  var buttons = document.querySelectorAll("[data-scan-target]");
  if (!dialog || !buttons.length || typeof dialog.showModal !== "function") return;
  if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== "function") return;

  var video = dialog.querySelector("video");
  var status = dialog.querySelector(".desk-scan-status");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var timer = null;
  var target = null;
  var decoderPromise = null;
  var session = 0; // each opening of the viewfinder; late answers of an earlier one are ignored

  function say(key) {
    status.textContent = dialog.getAttribute("data-msg-" + key) || "";
  }

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) return resolve(window.jsQR);
      var tag = document.createElement("script");
      tag.src = jsqrUrl;
      tag.onload = function () { return window.jsQR ? resolve(window.jsQR) : reject(new Error("jsQR missing")); };
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  /* A function frame → Promise<text or null>, built once per page. */
  function decoder() {
    if (decoderPromise) return decoderPromise;
    var native = "BarcodeDetector" in window && typeof window.BarcodeDetector.getSupportedFormats === "function"
      ? window.BarcodeDetector.getSupportedFormats().catch(function () { return []; })
      : Promise.resolve([]);
    decoderPromise = native.then(function (formats) {
      if (formats.indexOf("qr_code") !== -1) {
        var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        return function () {
          return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : null; });
        };
      }
      return loadJsQR().then(function (jsQR) {
        return function () {
          var width = video.videoWidth, height = video.videoHeight;
          if (!width || !height) return Promise.resolve(null);
          var scale = Math.min(1, 720 / Math.max(width, height)); // smaller frames decode faster on tablets
          canvas.width = Math.round(width * scale);
          canvas.height = Math.round(height * scale);
          context.drawImage(video, 0, 0, canvas.width, canvas.height);
          var pixels = context.getImageData(0, 0, canvas.width, canvas.height);
          var code = jsQR(pixels.data, pixels.width, pixels.height, { inversionAttempts: "dontInvert" });
          return Promise.resolve(code ? code.data : null);
        };
      });
    });
    decoderPromise.catch(function () { decoderPromise = null; });
    return decoderPromise;
  }

  function stop() {
    session += 1;
    if (timer) clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
  }

  function close() {
    stop();
    if (dialog.open) dialog.close();
  }

  function found(text) {
    var input = document.getElementById(target);
    close();
    if (!input) return;
    input.value = text.trim();
    var form = input.form;
    if (!form) return;
    if (typeof form.requestSubmit === "function") form.requestSubmit();
    else form.submit();
  }

  function scan(decode, mine) {
    if (mine !== session) return;
    decode().then(function (text) {
      if (mine !== session) return;
      if (text) return found(text);
      timer = setTimeout(function () { scan(decode, mine); }, 120);
    }, function () {
      if (mine === session) timer = setTimeout(function () { scan(decode, mine); }, 250);
    });
  }

  function open(button) {
    target = button.getAttribute("data-scan-target");
    stop();
    var mine = session;
    say("starting");
    dialog.showModal();
    var camera = navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false });
    Promise.all([camera, decoder()]).then(function (results) {
      if (mine !== session) {
        results[0].getTracks().forEach(function (track) { track.stop(); });
        return;
      }
      stream = results[0];
      video.srcObject = stream;
      return video.play().then(function () {
        say("looking");
        scan(results[1], mine);
      });
    }).catch(function () {
      camera.then(function (s) { s.getTracks().forEach(function (track) { track.stop(); }); }, function () {});
      if (mine === session) say("failed");
    });
  }

  Array.prototype.forEach.call(buttons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { open(button); });
  });
  dialog.querySelector("[data-scan-cancel]").addEventListener("click", close);
  // Escape closes a modal dialog by itself: the camera must go off with it.
  dialog.addEventListener("close", function () {
    stop();
    var input = target && document.getElementById(target);
    if (input) input.focus();
  });
  // A tablet put to sleep or a tab left open must not keep the camera on.
  document.addEventListener("visibilitychange", function () { if (document.hidden) close(); });
})();
