// Counts one reading of the story, once the page is really shown (not while prerendered).
// The page itself may come from a cache; this small request always reaches the server.
(function () {
  "use strict";
  const story = document.querySelector("[data-reading-url]");
  if (!story) return;
  const send = () => {
    const url = story.getAttribute("data-reading-url");
    if (navigator.sendBeacon && navigator.sendBeacon(url)) return;
    fetch(url, { method: "POST", keepalive: true, credentials: "same-origin" }).catch(() => {});
  };
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    send();
  }
})();
