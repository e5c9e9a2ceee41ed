// Proposal form: filter the facility list as you type, and add formset rows. Works without it.
(function () {
  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function wireSearch(root) {
    root.querySelectorAll(".facility-pick").forEach(function (box) {
      var input = box.querySelector(".facility-search");
      var select = box.querySelector("select");
      if (!input || !select || input.dataset.wired) return;
      input.dataset.wired = "1";
      input.addEventListener("input", function () {
        var needle = fold(input.value.trim());
        var first = null;
        Array.prototype.forEach.call(select.options, function (option) {
          var hit = !needle || !option.value || fold(option.text).indexOf(needle) !== -1;
          option.hidden = !hit;
          if (hit && option.value && !first) first = option;
        });
        if (first && needle) select.value = first.value;
      });
    });
  }
  document.querySelectorAll(".add-row").forEach(function (button) {
    button.addEventListener("click", function () {
      var total = document.getElementById("id_" + button.dataset.formset + "-TOTAL_FORMS");
      var html = document.getElementById(button.dataset.template).innerHTML
        .replace(/__prefix__/g, total.value);
      // A <template> parses table rows too, which a <div> would drop.
      var holder = document.createElement("template");
      holder.innerHTML = html.trim();
      var row = holder.content.firstElementChild;
      document.getElementById(button.dataset.target).appendChild(row);
      total.value = parseInt(total.value, 10) + 1;
      wireSearch(row);
    });
  });
  wireSearch(document);
})();
