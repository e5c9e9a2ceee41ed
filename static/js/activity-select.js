// Proposal form: the activity type list offers only the chosen content's types (SPEC §3.1).
// Without it every type shows, grouped by content, and the server refuses a mismatch.
(function () {
  var content = document.getElementById("id_content");
  var activity = document.getElementById("id_activity");
  if (!content || !activity) return;
  function offer() {
    var chosen = content.value;
    Array.prototype.forEach.call(activity.querySelectorAll("optgroup"), function (group) {
      var shown = false;
      Array.prototype.forEach.call(group.querySelectorAll("option"), function (option) {
        var hit = !chosen || option.dataset.content === chosen;
        option.hidden = !hit;
        option.disabled = !hit;
        shown = shown || hit;
      });
      group.hidden = !shown;
    });
    var selected = activity.options[activity.selectedIndex];
    if (selected && selected.disabled) activity.value = "";
  }
  content.addEventListener("change", offer);
  offer();
})();
