// The header's menu on narrow screens: a disclosure button (aria-expanded) that shows and hides
// the navigation. The button stays hidden without JavaScript, and the navigation open.
(function () {
  "use strict";

  var button = document.querySelector(".menu-toggle");
  if (!button) return;
  var menu = document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) return;

  function isOpen() {
    return button.getAttribute("aria-expanded") === "true";
  }

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  button.hidden = false;
  setOpen(false);
  button.addEventListener("click", function () {
    setOpen(!isOpen());
  });
  // Escape closes the open menu and gives the focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !isOpen() || button.offsetParent === null) return;
    if (menu.contains(document.activeElement) || document.activeElement === button) {
      setOpen(false);
      button.focus();
    }
  });
})();
