// nutsec's own script: when nutsec will have stopped by itself (after its idle time with no page
// opened), the page says so and how to start it again. Without it, the note stays hidden and the
// browser says the page cannot be reached.
document.addEventListener("DOMContentLoaded", function () {
  var note = document.getElementById("idle-note");
  if (!note) { return; }
  var seconds = parseFloat(note.getAttribute("data-seconds"));
  if (!(seconds > 0)) { return; }
  window.setTimeout(function () {
    note.hidden = false;
    note.scrollIntoView({ block: "nearest" });
  }, seconds * 1000 + 1000);
});
