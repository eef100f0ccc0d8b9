(function () {
  var root = document.documentElement, tools = document.getElementById("tools");
  var large = document.getElementById("large-text"), key = "tongbao-large-text";
  function set(on) {
    root.classList.toggle("large-text", on);
    large.setAttribute("aria-pressed", on ? "true" : "false");
    try { localStorage.setItem(key, on ? "1" : "0"); } catch (e) {}
  }
  try { if (localStorage.getItem(key) === "1") set(true); } catch (e) {}
  large.addEventListener("click", function () { set(!root.classList.contains("large-text")); });
  document.getElementById("print").addEventListener("click", function () { window.print(); });
  tools.hidden = false;
})();
