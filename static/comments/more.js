// "Show more comments": the next page of comments (older ones, or newer in the oldest-first
// order and the picks) inserted in place, without leaving the story. The link works
// without this script (?commentaires=N).
document.addEventListener("click", async (event) => {
  const link = event.target.closest(".comments__more a[data-fragment]");
  if (!link) return;
  event.preventDefault();
  const holder = link.parentElement;
  link.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(link.dataset.fragment, { headers: { Accept: "text/html" } });
    if (!response.ok) throw new Error(String(response.status));
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const list = document.querySelector("#comments .comment-list--all");
    const items = Array.from(page.querySelectorAll("body > ol.comment-list > li")).map((item) =>
      list.appendChild(document.importNode(item, true)),
    );
    const more = page.querySelector(".comments__more");
    if (more) holder.replaceWith(document.importNode(more, true));
    else holder.remove();
    // Keyboard and screen-reader users land on the first comment added.
    const first = items[0];
    if (first) {
      first.tabIndex = -1;
      first.focus();
    }
  } catch (error) {
    window.location.assign(link.href);
  }
});
