/* Upload progress page: polls the job's JSON twin and updates the page until the job ends.
 *
 * Served as a static file because the Content-Security-Policy forbids inline scripts. Without
 * the script the page still works: it shows the state when loaded and a link to refresh.
 * When the job ends the page reloads: the server sends a done job on to its dataset, and shows a refusal.
 */
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-poll-url");
  var bar = document.getElementById("job-bar");
  var status = document.getElementById("job-status");

  function show(data) {
    var fields = box.querySelectorAll("[data-field]");
    for (var i = 0; i < fields.length; i++) {
      var key = fields[i].getAttribute("data-field");
      if (key in data && data[key] !== null) { fields[i].textContent = String(data[key]); }
    }
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        show(data);
        if (data.finished) {
          status.textContent = data.next ? data.message + " Opening the dataset…" : data.message;
          // The server answers a finished job with the dataset (and what was stored), or the refusal.
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  var finished = document.getElementById("job-next") || document.getElementById("error-summary");
  if (!finished) { window.setTimeout(poll, 500); }
})();
