// The import page while a job runs: ask for its status every 2 s, move the bar, and reload the
// page when the job stops running (the rows are then there to read). Without JavaScript the
// page refreshes itself (a <noscript> meta refresh) and has a "Làm mới trang" link.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box || !window.fetch) return;
  var bar = document.getElementById("job-bar");
  var count = document.getElementById("job-count");
  var label = document.getElementById("job-status-label");
  var shownStatus = box.dataset.status;

  function tick() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
      .then(function (job) {
        if (!job.running) { window.location.reload(); return; }
        // A new stage (queued -> checking, confirmed -> writing) has its own sentence.
        if (job.status !== shownStatus) { window.location.reload(); return; }
        // Nothing counted yet (reading the file; or writing on SQLite, whose single writer
        // cannot report from inside the transaction): keep the bar indeterminate.
        if (job.done_rows) { bar.value = job.percent; } else { bar.removeAttribute("value"); }
        bar.textContent = job.percent + " %";
        count.textContent = job.done_rows.toLocaleString("vi-VN") + " / " + job.total_rows.toLocaleString("vi-VN") + " dòng";
        label.textContent = job.status_label;
        window.setTimeout(tick, 2000);
      })
      .catch(function () { window.setTimeout(tick, 5000); });
  }
  window.setTimeout(tick, 1000);
})();
