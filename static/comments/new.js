// New comments while reading: every 45 s, while the tab is shown, the page asks how many
// comments the story has (a cached answer); when there are more than the page shows, a
// button says so, and pressing it puts the newest comments in place of the list.
(() => {
  const notice = document.querySelector(".comments__new[data-state]");
  if (!notice) return;
  const button = notice.querySelector("button");
  const EVERY = 45000;
  let shown = Number(notice.dataset.count);
  let timer = null;

  async function poll() {
    try {
      const response = await fetch(notice.dataset.state, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const { count } = await response.json();
      const fresh = count - shown;
      if (fresh > 0) {
        button.textContent = fresh === 1 ? notice.dataset.one : notice.dataset.many.replace("{count}", fresh);
        notice.hidden = false;
      }
    } catch (error) {
      // Offline for a moment: the next poll will tell.
    }
  }

  function start() {
    if (timer === null) timer = window.setInterval(poll, EVERY);
  }
  function stop() {
    window.clearInterval(timer);
    timer = null;
  }
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) stop();
    else {
      poll();
      start();
    }
  });

  button.addEventListener("click", async () => {
    const response = await fetch(notice.dataset.latest, { headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const section = document.getElementById("comments");
    let list = section.querySelector(".comment-list--all");
    if (!list) {
      list = document.createElement("ol");
      list.className = "comment-list comment-list--all";
      const empty = section.querySelector(".comments__empty");
      if (empty) empty.replaceWith(list);
      else notice.after(list);
    }
    // The shared comments go; the reader's own waiting ones stay, after the new list.
    list.querySelectorAll(":scope > li:not(.comment--pending)").forEach((item) => item.remove());
    const items = Array.from(page.querySelectorAll("body > ol.comment-list > li"));
    list.prepend(...items.map((item) => document.importNode(item, true)));
    // A reader's own comment, approved meanwhile, is in the new list: its waiting copy goes.
    list.querySelectorAll(":scope > li.comment--pending").forEach((own) => {
      if (items.some((item) => item.id === own.id)) own.remove();
    });
    section.querySelectorAll(".comments__more").forEach((more) => more.remove());
    const more = page.querySelector(".comments__more");
    if (more) list.after(document.importNode(more, true));
    shown = Number(page.querySelector("ol.comment-list").dataset.count || shown);
    notice.hidden = true;
    const title = section.querySelector(".comments__title");
    if (items.length) {
      const first = document.getElementById(items[0].id);
      if (first) {
        first.tabIndex = -1;
        first.focus();
      }
    }
    if (title && page.querySelector("ol.comment-list").dataset.title) {
      title.textContent = page.querySelector("ol.comment-list").dataset.title;
    }
  });

  if (!document.hidden) start();
})();
