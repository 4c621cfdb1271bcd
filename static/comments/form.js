// The comment form. The story page may come from a shared cache, so the form arrives
// without the reader's own tokens: they are fetched when the reader starts on it, and at
// the latest when it is sent (readers without scripts get a link to a form that has them).
// It also counts characters as the reader types, and puts the focus on the error summary
// of a form that came back refused.
(function () {
  "use strict";
  const form = document.getElementById("comment-form");
  if (!form) return;

  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();

  // "2 870 / 3 000 caractères", said aloud only near the limit and past it.
  const body = form.querySelector("textarea[data-limit]");
  const count = document.getElementById("body-count");
  if (body && count) {
    const limit = Number(body.dataset.limit);
    const spoken = count.nextElementSibling;
    const number = new Intl.NumberFormat(document.documentElement.lang || "fr");
    let said = "";
    const update = () => {
      const length = body.value.length;
      count.textContent = count.dataset.template
        .replace("{count}", number.format(length))
        .replace("{limit}", number.format(limit));
      count.classList.toggle("char-count--over", length > limit);
      let message = "";
      if (length > limit) {
        message = spoken.dataset.over.replace("{over}", number.format(length - limit));
      } else if (limit - length <= 200) {
        // In steps of 50, so a screen reader is not told at every key.
        const left = Math.floor((limit - length) / 50) * 50;
        message = spoken.dataset.near.replace("{left}", number.format(left));
      }
      if (message !== said) {
        spoken.textContent = message;
        said = message;
      }
    };
    body.addEventListener("input", update);
    update();
  }

  if (!form.hasAttribute("data-tokens-url")) return;
  let loading = null;
  const fill = (tokens) => {
    let csrf = form.querySelector('input[name="csrfmiddlewaretoken"]');
    if (!csrf) {
      csrf = document.createElement("input");
      csrf.type = "hidden";
      csrf.name = "csrfmiddlewaretoken";
      form.prepend(csrf);
    }
    csrf.value = tokens.csrf;
    form.querySelector('input[name="issued"]').value = tokens.issued;
    form.dataset.ready = "1";
  };
  const load = () => {
    if (!loading) {
      loading = fetch(form.getAttribute("data-tokens-url"), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then((response) => {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(fill)
        .catch((error) => {
          loading = null;
          throw error;
        });
    }
    return loading;
  };

  form.addEventListener("focusin", () => load().catch(() => {}), { once: true });
  form.addEventListener("submit", (event) => {
    if (form.dataset.ready) return;
    event.preventDefault();
    const submitter = event.submitter;
    // A fresh task: the browser ignores a submission asked for while one is dispatching.
    const send = () =>
      setTimeout(() => {
        form.dataset.ready = "1";
        form.requestSubmit(submitter);
      });
    load().then(send, send);
  });
})();
