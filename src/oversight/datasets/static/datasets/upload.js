/* Upload progress for the Annex A upload form.
 *
 * Progressive enhancement: without this script the form posts normally. With it, the file is
 * sent by XMLHttpRequest so the <progress> element can show how much has been sent; when the
 * server answers, the browser goes to the progress page of the queued job (the X-Location header of a
 * 204 answer), or the returned form (with its error summary) replaces the current one. Served as a static file
 * because the Content-Security-Policy forbids inline scripts.
 */
(function () {
  "use strict";
  if (!window.XMLHttpRequest || !window.FormData || !window.DOMParser) { return; }

  function enhance() {
    var form = document.querySelector("form[data-upload-progress]");
    if (!form) { return; }
    var group = document.getElementById("upload-progress-group");
    var bar = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    var button = form.querySelector("button[type=submit]");

    function say(text) { if (status) { status.textContent = text; } }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      group.hidden = false;
      bar.value = 0;
      button.disabled = true;
      say("Sending the file…");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var pct = Math.round((e.loaded / e.total) * 100);
          bar.value = pct;
          bar.textContent = pct + "%";
          say(pct < 100 ? "Sent " + pct + "%" : "File sent. Queuing it for checking…");
        }
      });
      xhr.addEventListener("load", function () {
        var location = xhr.getResponseHeader("X-Location");
        if (xhr.status === 204 && location) {
          bar.value = 100;
          say("File received. Opening the progress page…");
          window.location.assign(location);  // the progress page of the queued job
          return;
        }
        var main = new DOMParser().parseFromString(xhr.responseText, "text/html").getElementById("main");
        if (main) {
          document.getElementById("main").innerHTML = main.innerHTML;
          enhance();
          var summary = document.getElementById("error-summary");
          if (summary) { summary.focus(); }
        } else {
          say("The server did not answer as expected (status " + xhr.status + "). Please try again.");
          button.disabled = false;
        }
      });
      xhr.addEventListener("error", function () {
        say("The upload failed: the connection was lost. Please try again.");
        button.disabled = false;
      });
      xhr.send(new FormData(form));
    });
  }

  enhance();
})();
