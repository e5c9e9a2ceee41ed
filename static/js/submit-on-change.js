// A <select data-submit-on-change> sends its form when a choice is made (the language switch);
// the form's own button stays for browsers without scripts. A file, not an inline handler: the
// Content-Security-Policy allows scripts from the portal's own files only.
document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
  select.addEventListener("change", function () {
    select.form.submit();
  });
});
