// The story editor: the body's preview beside the text, rendered by the site's own code
// (an admin endpoint), with a word count and reading time. The form works without it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    const marker = document.getElementById("story-editor");
    const body = document.getElementById("id_body");
    if (!marker || !body) return;
    const wrapper = document.createElement("div");
    wrapper.className = "story-editor";
    // The rich-text editor wraps the textarea (before this runs or after): both go in.
    const box = body.closest(".prose-editor") || body;
    box.parentNode.insertBefore(wrapper, box);
    wrapper.appendChild(box);
    const preview = document.createElement("section");
    preview.className = "story-editor__preview";
    preview.setAttribute("aria-label", marker.dataset.previewTitle);
    preview.setAttribute("aria-live", "polite");
    const count = document.createElement("p");
    count.className = "story-editor__count";
    wrapper.appendChild(count);
    wrapper.appendChild(preview);
    const token = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    const language = document.getElementById("id_language");
    let timer = null;
    const refresh = () => {
      const data = new FormData();
      data.append("body", body.value);
      data.append("language", language ? language.value : "fr");
      if (marker.dataset.article) data.append("article", marker.dataset.article);
      fetch(marker.dataset.previewUrl, {
        method: "POST",
        body: data,
        headers: { "X-CSRFToken": token },
        credentials: "same-origin",
      })
        .then((response) => response.json())
        .then((answer) => {
          preview.innerHTML = answer.html; // cleaned by the server's allow-list, as on the site
          count.textContent = answer.summary;
        })
        .catch(() => {});
    };
    body.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
    refresh();
  });

  // The body's rich-text editor (django-prose-editor, with static/articles/prose.js): its
  // toolbar's buttons named in the page's language, with their keyboard shortcuts; the
  // image dialog's Cancel and Escape give the focus back to the text.
  document.addEventListener("prose-editor:ready", (event) => {
    const editor = event.detail.editor;
    // The toolbar is drawn when the editor is created, just after "ready".
    if (editor.isInitialized) label(event);
    else editor.on("create", () => label(event));
  });
  const label = (event) => {
    const labels = document.getElementById("editor-labels");
    const names = labels ? JSON.parse(labels.textContent) : {};
    const bar = event.detail.textarea.parentNode.querySelector(".prose-menubar");
    if (bar) {
      bar.setAttribute("role", "toolbar");
      if (names.toolbar) bar.setAttribute("aria-label", names.toolbar);
      const relabel = () =>
        bar.querySelectorAll("[title]").forEach((button) => {
          const name = names[button.getAttribute("title")];
          if (!name) return;
          button.setAttribute("title", name);
          button.setAttribute("aria-label", name);
          // The icon is a ligature ("format_bold"), drawn by the style sheet: not read out.
          if (button.classList.contains("material-icons") && button.textContent) {
            button.dataset.icon = button.textContent;
            button.textContent = "";
          }
        });
      relabel();
      // The paragraph menu shows the current block's button (an intertitle's, a list's…).
      new MutationObserver(relabel).observe(bar, { childList: true, subtree: true });
    }
    // The paragraph menu's choices, written in the page's language.
    bar?.querySelectorAll(".prose-menubar__option[data-name]").forEach((option) => {
      const name = names[option.dataset.name];
      if (name && option.firstElementChild) option.firstElementChild.textContent = name;
    });
    const content = event.detail.editor.view.dom;
    if (content) {
      content.setAttribute("aria-label", names.body || "");
      content.setAttribute("aria-multiline", "true");
      content.setAttribute("lang", document.getElementById("id_language")?.value || "fr");
    }
    const dialog = document.getElementById("body-image-dialog");
    const close = document.getElementById("body-image-close");
    if (dialog && close) {
      close.addEventListener("click", () => dialog.close());
      dialog.addEventListener("close", () => event.detail.editor.commands.focus());
    }
  };

  // Who else has the story open: the editor says it is still here every minute while its
  // journalist works (not after 15 idle minutes), and that it left when the page goes.
  document.addEventListener("DOMContentLoaded", () => {
    const notice = document.getElementById("editing-now");
    const tokenField = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (!notice || !tokenField) return;
    const token = tokenField.value;
    let active = Date.now();
    ["input", "keydown", "pointerdown"].forEach((name) =>
      document.addEventListener(name, () => (active = Date.now()), { passive: true })
    );
    const say = (left) => {
      const data = new FormData();
      data.append("csrfmiddlewaretoken", token);
      if (left) {
        data.append("left", "1");
        navigator.sendBeacon(notice.dataset.url, data);
        return;
      }
      fetch(notice.dataset.url, { method: "POST", body: data, credentials: "same-origin" })
        .then((response) => response.json())
        .then((answer) => {
          notice.textContent = answer.notice;
          notice.hidden = !answer.notice;
        })
        .catch(() => {});
    };
    setInterval(() => {
      if (Date.now() - active < 15 * 60 * 1000) say(false);
    }, 60 * 1000);
    let saving = false;
    document.querySelector("#content-main form")?.addEventListener("submit", () => (saving = true));
    window.addEventListener("pagehide", () => {
      if (!saving) say(true);
    });
  });

  // The focal point: a click on the image preview sets the two percentage fields, which
  // stay editable by keyboard; the mark shows where the point is.
  document.addEventListener("DOMContentLoaded", () => {
    const picker = document.querySelector(".focus-picker");
    const x = document.getElementById("id_image_focus_x");
    const y = document.getElementById("id_image_focus_y");
    if (!picker || !x || !y) return;
    const mark = picker.querySelector(".focus-picker__mark");
    const show = () => {
      mark.style.left = `${Math.min(100, Math.max(0, Number(x.value) || 0))}%`;
      mark.style.top = `${Math.min(100, Math.max(0, Number(y.value) || 0))}%`;
    };
    picker.querySelector("img").addEventListener("click", (event) => {
      const box = event.currentTarget.getBoundingClientRect();
      x.value = Math.round(((event.clientX - box.left) / box.width) * 100);
      y.value = Math.round(((event.clientY - box.top) / box.height) * 100);
      show();
    });
    x.addEventListener("input", show);
    y.addEventListener("input", show);
    show();
  });
})();

// Autosave: what the journalist typed (title, standfirst, body) is kept every
// data-autosave-seconds and when the page is hidden or left, for them alone; the story is
// not changed until they save it. Reopening the story offers to restore it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    const marker = document.getElementById("story-editor");
    const form = document.getElementById("article_form");
    if (!marker || !form || !marker.dataset.autosaveUrl) return;
    const url = marker.dataset.autosaveUrl;
    const fields = ["title", "standfirst", "body"]
      .map((name) => document.getElementById(`id_${name}`))
      .filter(Boolean);
    const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    const status = document.createElement("p");
    status.className = "story-editor__autosave";
    status.setAttribute("role", "status");
    marker.after(status);
    const snapshot = () => fields.map((field) => field.value).join("\u0000");
    const data = () => {
      const sent = new FormData();
      sent.append("csrfmiddlewaretoken", token);
      fields.forEach((field) => sent.append(field.name, field.value));
      return sent;
    };
    let kept = snapshot();
    let submitting = false;
    const keep = () => {
      const now = snapshot();
      if (submitting || now === kept) return;
      fetch(url, { method: "POST", body: data(), credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
        .then((answer) => {
          kept = now;
          status.textContent = answer.message;
        })
        .catch(() => {}); // offline for a moment: the next turn tries again
    };
    const leave = () => {
      const now = snapshot();
      if (submitting || now === kept) return;
      if (navigator.sendBeacon(url, data())) kept = now;
    };
    window.setInterval(keep, (Number(marker.dataset.autosaveSeconds) || 30) * 1000);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") leave();
    });
    window.addEventListener("pagehide", leave);
    form.addEventListener("submit", (event) => {
      // The notice's "Set them aside" posts elsewhere: only a real save stops the autosave.
      if (!event.submitter || !event.submitter.getAttribute("formaction")) submitting = true;
    });
  });
})();

// Beside the text: the title's and the standfirst's lengths against what search engines
// and networks show, and the shared link's card, as they are typed.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    const card = document.getElementById("share-card");
    const title = document.getElementById("id_title");
    const standfirst = document.getElementById("id_standfirst");
    if (!card || !title || !standfirst) return;
    const row = standfirst.closest(".form-row");
    if (row) row.after(card);
    const counter = (field, template, limit) => {
      const count = document.createElement("p");
      count.className = "field-count";
      count.id = `${field.id}-count`;
      count.setAttribute("aria-live", "polite");
      field.after(count);
      const described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", `${described ? described + " " : ""}${count.id}`);
      return () => {
        const length = [...field.value].length;
        count.textContent = template.replace("{count}", length);
        count.classList.toggle("field-count--over", length > limit);
      };
    };
    const titleCount = counter(title, card.dataset.titleCount, Number(card.dataset.titleLimit));
    const limit = Number(card.dataset.descriptionLimit);
    const standfirstCount = counter(standfirst, card.dataset.descriptionCount, limit);
    const cardTitle = card.querySelector(".share-card__title");
    const cardText = card.querySelector(".share-card__description");
    const update = () => {
      titleCount();
      standfirstCount();
      cardTitle.textContent = title.value;
      const text = standfirst.value.replace(/\s+/g, " ").trim();
      cardText.textContent = [...text].length > limit ? [...text].slice(0, limit - 1).join("") + "…" : text;
    };
    title.addEventListener("input", update);
    standfirst.addEventListener("input", update);
    update();
  });
})();

// Django's two-box selects (byline, tags) draw a search icon with a label but no role,
// which screen readers are not allowed to read (axe: aria-prohibited-attr): it is an
// image. After every "load" handler, theirs included.
window.addEventListener("load", () => {
  window.setTimeout(() => {
    document
      .querySelectorAll(".help-tooltip.search-label-icon:not([role])")
      .forEach((icon) => icon.setAttribute("role", "img"));
  }, 0);
});
