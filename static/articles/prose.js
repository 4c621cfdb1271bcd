// The story body's own pieces for the rich-text editor (django-prose-editor loads this
// module from the field's configuration, settings.DJANGO_PROSE_EDITOR_EXTENSIONS):
//
// - StoryImage: an image of the story placed in the text, stored as
//   <figure data-image="12"></figure> and drawn in the editor as readers see it (the image,
//   its caption and credit). A button in the toolbar, a file dropped on the text or an
//   image pasted opens the image dialog (templates/admin/articles/article/change_form.html),
//   which asks for the description before anything is uploaded, where the image goes.
// - WordProcessorPaste: formatted text pasted from Word, LibreOffice or Google Docs goes
//   through the server's cleaning (articles.pasting) before it lands in the text.
import { Extension, Node, Plugin } from "django-prose-editor/editor"

let known = null
const images = () => {
  if (!known) {
    const data = document.getElementById("story-images")
    known = new Map(Object.entries(data ? JSON.parse(data.textContent) : {}))
  }
  return known
}

const element = (tag, props = {}, children = []) => {
  const node = Object.assign(document.createElement(tag), props)
  node.append(...children)
  return node
}

const drawFigure = (id) => {
  const image = images().get(String(id))
  const dialog = document.getElementById("body-image-dialog")
  if (!image) {
    const missing = dialog ? dialog.dataset.missing : "Image {id}"
    return [element("p", { className: "story-image__missing", textContent: missing.replace("{id}", id) })]
  }
  const parts = [element("img", { src: image.src, alt: image.alt })]
  const caption = [image.caption, image.credit].filter(Boolean).join(" — ")
  if (caption) parts.push(element("figcaption", { textContent: caption }))
  return parts
}

// The image dialog: the file (chosen, dropped or pasted), then the description, caption
// and credit; "Insert the image" uploads it with the same checks as any upload and puts
// the figure where the image was dropped (or where the cursor was).
const openImageDialog = (editor, position, file) => {
  const dialog = document.getElementById("body-image-dialog")
  if (!dialog) return
  const field = (name) => document.getElementById(`body-image-${name}`)
  const status = field("status")
  const preview = field("preview")
  const say = (lines) => {
    status.replaceChildren(...lines.map((line) => element("p", { textContent: line })))
    status.hidden = !lines.length
  }
  const show = (chosen) => {
    preview.hidden = !chosen
    if (!chosen) return
    const reader = new FileReader()
    reader.onload = () => (preview.src = reader.result)
    reader.readAsDataURL(chosen)
  }
  say([])
  if (field("file")) {
    ;["alt", "caption", "credit"].forEach((name) => (field(name).value = ""))
    if (file) {
      const transfer = new DataTransfer()
      transfer.items.add(file)
      field("file").files = transfer.files
    } else {
      field("file").value = ""
    }
    show(file)
    field("file").onchange = () => show(field("file").files[0])
    field("send").onclick = () => {
      const data = new FormData()
      data.append("csrfmiddlewaretoken", document.querySelector("input[name=csrfmiddlewaretoken]").value)
      if (field("file").files[0]) data.append("image", field("file").files[0])
      ;["alt", "caption", "credit"].forEach((name) => data.append(name, field(name).value))
      field("send").disabled = true
      fetch(dialog.dataset.url, { method: "POST", body: data, credentials: "same-origin" })
        .then((response) => response.json().then((answer) => ({ ok: response.ok, answer })))
        .then(({ ok, answer }) => {
          if (!ok) {
            say(answer.errors || [dialog.dataset.failed])
            return
          }
          images().set(String(answer.id), answer)
          const at = Math.min(position ?? editor.state.selection.to, editor.state.doc.content.size)
          editor
            .chain()
            .insertContentAt(at, { type: "storyImage", attrs: { image: String(answer.id) } })
            .focus()
            .run()
          dialog.close()
          const done = document.getElementById("body-image-done")
          if (done) done.textContent = dialog.dataset.done
        })
        .catch(() => say([dialog.dataset.failed]))
        .finally(() => (field("send").disabled = false))
    }
  }
  dialog.showModal()
  ;(field("file") && file ? field("alt") : field("file") || field("close")).focus()
}

const imageFile = (transfer) =>
  transfer ? [...transfer.files].find((file) => file.type.startsWith("image/")) : null

export const StoryImage = Node.create({
  name: "storyImage",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return {
      image: {
        default: null,
        parseHTML: (node) => node.getAttribute("data-image"),
        renderHTML: (attrs) => ({ "data-image": attrs.image }),
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-image]" }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["figure", HTMLAttributes]
  },

  addNodeView() {
    return ({ node }) => {
      const dom = element("figure", { className: "story-image", contentEditable: "false" })
      dom.dataset.image = node.attrs.image
      dom.append(...drawFigure(node.attrs.image))
      return { dom }
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "storyImage",
      groups: "nodes",
      button: buttons.material("image", "image"),
      command: (editor) => openImageDialog(editor, null, null),
    })
  },

  addProseMirrorPlugins() {
    const editor = this.editor
    return [
      new Plugin({
        props: {
          handleDrop(view, event) {
            const file = imageFile(event.dataTransfer)
            if (!file) return false
            event.preventDefault()
            const spot = view.posAtCoords({ left: event.clientX, top: event.clientY })
            openImageDialog(editor, spot ? spot.pos : null, file)
            return true
          },
          handlePaste(view, event) {
            const file = imageFile(event.clipboardData)
            if (!file || event.clipboardData.getData("text/html")) return false
            event.preventDefault()
            openImageDialog(editor, null, file)
            return true
          },
        },
      }),
    ]
  },
})

// What a word processor put on the clipboard, cleaned by the server (the same rules for
// every program); the editor's own copies, and plain text, paste as they are. Without an
// answer from the server, the plain text.
export const WordProcessorPaste = Extension.create({
  name: "wordProcessorPaste",

  addOptions() {
    return { url: "" }
  },

  addProseMirrorPlugins() {
    const editor = this.editor
    const url = this.options.url
    return [
      new Plugin({
        props: {
          // ProseMirror reads the clipboard's HTML before asking handlePaste: what the
          // server will clean is not read here at all (Word's comment anchors carry inline
          // event handlers, which the page's CSP refuses).
          transformPastedHTML(html) {
            return url && !html.includes("data-pm-slice") ? "" : html
          },
          handlePaste(view, event) {
            const html = event.clipboardData && event.clipboardData.getData("text/html")
            if (!url || !html || html.includes("data-pm-slice")) return false
            event.preventDefault()
            const plain = event.clipboardData.getData("text/plain")
            const { from, to } = view.state.selection
            const sent = new FormData()
            sent.append("html", html)
            const token = document.querySelector("input[name=csrfmiddlewaretoken]").value
            fetch(url, { method: "POST", body: sent, headers: { "X-CSRFToken": token }, credentials: "same-origin" })
              .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
              .then((answer) => editor.chain().insertContentAt({ from, to }, answer.html).focus().run())
              .catch(() => editor.chain().insertContentAt({ from, to }, plain).focus().run())
            return true
          },
        },
      }),
    ]
  },
})
