// nutsec's own script: shows the Print button on a printable page. Without it, Ctrl+P works.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("nutsec-print");
  if (!button) { return; }
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
