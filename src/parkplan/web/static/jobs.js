/* parkplan: follow a background job (own code, no libraries). Polls /api/jobs/{id}. */
(function () {
  "use strict";
  var box = document.querySelector("[data-job]");
  if (!box) { return; }
  var id = box.getAttribute("data-job");
  var park = box.getAttribute("data-park");
  var bar = document.getElementById("job-progress");
  var label = document.getElementById("job-label");
  function poll() {
    fetch("/api/jobs/" + encodeURIComponent(id), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (job) {
        bar.value = job.progress;
        label.textContent = job.label + " (" + String(job.elapsed_s).replace(".", ",") + " s)";
        if (job.state === "done") {
          var done = box.getAttribute("data-done-url");
          if (done) { done = done.replace("{result_id}", encodeURIComponent(job.result_id)); }
          window.location.assign(done || ("/parken/" + encodeURIComponent(park) +
            "/scenarios?vergelijk=" + encodeURIComponent(job.result_id)));
        } else if (job.state === "failed") {
          label.textContent = job.label + ": " + (job.error || "");
          label.setAttribute("role", "alert");
        } else {
          window.setTimeout(poll, 500);
        }
      })
      .catch(function () { label.textContent = "?"; window.setTimeout(poll, 2000); });
  }
  poll();
})();
