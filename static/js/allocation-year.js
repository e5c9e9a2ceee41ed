// A new allocation: the provinces offered depend on the year (absorbed provinces end on
// 30/6/2025), so reload the choices when the year crosses 2025, keeping the fund.
(function () {
  var year = document.getElementById("id_year");
  if (!year) return;
  var shown = parseInt(year.value, 10);
  year.addEventListener("change", function () {
    var chosen = parseInt(year.value, 10);
    if (!chosen || (chosen <= 2025) === (shown <= 2025)) return;
    var params = new URLSearchParams({year: chosen});
    var fund = document.getElementById("id_fund");
    if (fund && fund.value) params.set("fund", fund.value);
    window.location.search = params.toString();
  });
})();
