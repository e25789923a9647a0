// The live preview's reload (mkdocs serve only; never part of a built site).
// MkDocs' own reload script is inline, which the site's Content-Security-Policy
// blocks; this is the same long poll as a file of the site's own origin. The
// server answers /livereload/EPOCH/ID once it has finished a build newer than
// the one this page came from (or after a minute, when the poll starts again).
(function () {
  "use strict";
  var script = document.currentScript;
  var epoch = Number(script.dataset.epoch);
  var path = "/livereload/" + script.dataset.epoch + "/" + script.dataset.request;
  var request, timeout;

  function poll() {
    request = new XMLHttpRequest();
    request.onloadend = function () {
      if (this !== request) return; // stopped: the tab was hidden or left
      if (parseFloat(this.responseText) > epoch) {
        location.reload();
      } else {
        timeout = setTimeout(poll, this.status === 200 ? 0 : 3000);
      }
    };
    request.open("GET", path);
    request.send();
  }

  function stop() {
    var stopped = request;
    if (timeout) clearTimeout(timeout);
    request = timeout = undefined;
    if (stopped) stopped.abort();
  }

  function start() {
    if (document.visibilityState === "visible" && !request) poll();
  }

  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") start();
    else stop();
  });
  window.addEventListener("pagehide", stop);
})();
