/* Check-in page: live counters, and a camera QR scanner where the browser has one. */
(function () {
  "use strict";
  var root = document.querySelector("[data-count-url]");
  if (root) {
    var url = root.getAttribute("data-count-url");
    var refresh = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          ["attended", "expected", "waiting"].forEach(function (key) {
            var el = root.querySelector('[data-counter="' + key + '"]');
            if (el && data[key] !== undefined) { el.textContent = data[key]; }
          });
        })
        .catch(function () {});
    };
    setInterval(refresh, 10000);
  }
  var scanButton = document.querySelector("[data-scan]");
  var input = document.getElementById("id_code");
  if (!scanButton || !input || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  scanButton.hidden = false;
  scanButton.addEventListener("click", function () {
    var video = document.querySelector(".scanner video");
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.hidden = false;
      video.srcObject = stream;
      video.play();
      var tick = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            stream.getTracks().forEach(function (track) { track.stop(); });
            input.value = codes[0].rawValue;
            input.form.submit();
          } else {
            requestAnimationFrame(tick);
          }
        }).catch(function () { requestAnimationFrame(tick); });
      };
      tick();
    }).catch(function () { scanButton.hidden = true; });
  });
})();
