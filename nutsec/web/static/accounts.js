// nutsec's own script: the e-mail question shows only when the account is e-mail.
// Without it, the question stays on the page (its label says it is for e-mail only).
document.addEventListener("DOMContentLoaded", function () {
  var platform = document.getElementById("account-platform");
  var row = document.getElementById("provider-row");
  if (!platform || !row) { return; }
  var show = function () { row.hidden = platform.value !== "email"; };
  platform.addEventListener("change", show);
  show();
});
