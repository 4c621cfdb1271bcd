// Keyboard shortcuts for the moderation queue; every button works without them.
(function () {
  "use strict";
  const items = () => Array.from(document.querySelectorAll(".queue-item"));
  document.addEventListener("DOMContentLoaded", () => {
    const first = items()[0];
    if (first) first.focus();
  });
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const list = items();
    if (!list.length) return;
    let index = list.indexOf(document.activeElement && document.activeElement.closest(".queue-item"));
    if (event.key === "j" || event.key === "k") {
      index = index < 0 ? 0 : Math.min(list.length - 1, Math.max(0, index + (event.key === "j" ? 1 : -1)));
      list[index].focus();
      event.preventDefault();
      return;
    }
    const button = index >= 0 && list[index].querySelector(`button[data-key="${event.key}"]`);
    if (button) {
      event.preventDefault();
      button.closest("form").requestSubmit(button);
    }
  });
})();
