// The story page may come from a shared cache, so the comment form arrives without the
// reader's own tokens. They are fetched when the reader starts on the form, and at the
// latest when it is sent. Readers without scripts get a link to a form that has them.
(function () {
  "use strict";
  const form = document.querySelector("form[data-tokens-url]");
  if (!form) return;
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
