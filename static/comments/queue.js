// The moderation queue: keyboard shortcuts, and decisions that do not reload the page.
// Every button works without this script (a plain form that comes back to the queue).
(function () {
  "use strict";
  const items = () => Array.from(document.querySelectorAll(".queue-item"));
  const notice = () => document.querySelector(".queue__notice");

  const say = (text, undo) => {
    const box = notice();
    if (!box) return;
    box.textContent = text + " ";
    if (undo) {
      const link = document.createElement("a");
      link.href = undo;
      link.textContent = box.closest(".queue").dataset.undoLabel || "↶";
      box.appendChild(link);
    }
  };

  // A decision posted in the background: its card goes, the next one gets the focus.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    const card = form.closest(".queue-item");
    if (!card || !window.fetch) return;
    event.preventDefault();
    const next = card.nextElementSibling;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form, event.submitter),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then((answer) => {
        say(answer.message, answer.undo);
        if (!answer.ok && !form.action.includes("/act/")) return;
        card.remove();
        if (!items().length) {
          // The page is done: a link to the next comments waiting, the notice kept.
          const more = document.createElement("a");
          more.href = window.location.href;
          more.className = "button queue__more";
          more.textContent = document.querySelector(".queue").dataset.moreLabel || "↻";
          notice().after(more);
          more.focus();
        } else if (next && next.classList.contains("queue-item")) {
          next.focus();
        }
      })
      .catch(() => form.submit()); // the plain way
  });

  document.addEventListener("DOMContentLoaded", () => {
    const first = items()[0];
    if (first) first.focus();
  });

  let rejecting = null; // the card whose reason is being chosen ("r" then a digit)
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest("input, textarea, [contenteditable]")) return;
    const list = items();
    if (!list.length) return;
    let index = list.indexOf(document.activeElement && document.activeElement.closest(".queue-item"));
    if (rejecting && /^[1-9]$/.test(event.key)) {
      const select = rejecting.querySelector("select[name=reason]");
      const option = select.options[Number(event.key)];
      if (option) {
        select.value = option.value;
        const button = rejecting.querySelector("button[data-key=r]");
        button.closest("form").requestSubmit(button);
      }
      rejecting = null;
      event.preventDefault();
      return;
    }
    rejecting = null;
    if (event.key === "j" || event.key === "k") {
      index = index < 0 ? 0 : Math.min(list.length - 1, Math.max(0, index + (event.key === "j" ? 1 : -1)));
      list[index].focus();
      event.preventDefault();
      return;
    }
    if (index < 0) return;
    if (event.key === "r") {
      rejecting = list[index];
      rejecting.querySelector("select[name=reason]").focus();
      event.preventDefault();
      return;
    }
    const button = list[index].querySelector(`button[data-key="${event.key}"]`);
    if (button) {
      event.preventDefault();
      button.closest("form").requestSubmit(button);
    }
  });
})();
