"""Forms as a browser sends them: read from the rendered page, changed only where a person
types, submitted with every field the page holds (hidden ones, the selected options, the
checked boxes, a textarea's line breaks as CR LF).

    form = rendered_form(client.get(url))
    form.update(title="Hydrogène vert à Fos", body="Un paragraphe.\\n\\nUn autre.")
    response = form.submit(client)

A name the form does not show is refused (KeyError): a test cannot type where no person can.
"""

import copy
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin

SKIPPED_INPUTS = {"submit", "button", "image", "reset"}


def crlf(text: str) -> str:
    """A textarea's text as a browser sends it: every line break CR LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


class Field:
    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = attrs
        self.name = attrs.get("name", "")
        self.type = (attrs.get("type") or "text").lower() if tag == "input" else tag
        self.disabled = "disabled" in attrs
        self.options = []  # (value, selected) for a select
        self.text = ""  # a textarea's
        self.files = None  # what a person chose for a file input

    @property
    def multiple(self):
        return "multiple" in self.attrs

    def pairs(self):
        """What the browser sends for this field: (name, value) pairs."""
        if self.disabled or not self.name:
            return []
        if self.tag == "textarea":
            return [(self.name, crlf(self.text))]
        if self.tag == "select":
            chosen = [value for value, selected in self.options if selected]
            if not chosen and self.options and not self.multiple:
                chosen = [self.options[0][0]]
            return [(self.name, value) for value in chosen]
        if self.type in {"checkbox", "radio"}:
            return [(self.name, self.attrs.get("value", "on"))] if "checked" in self.attrs else []
        if self.type == "file":
            return [(self.name, f) for f in self.files or []]
        if self.type in SKIPPED_INPUTS:
            return []
        return [(self.name, self.attrs.get("value", ""))]


class RenderedForm:
    def __init__(self, attrs, page_url):
        self.attrs = attrs
        self.page_url = page_url
        self.fields: list[Field] = []
        self.buttons: list[Field] = []

    def __repr__(self):
        return f"<RenderedForm {self.attrs.get('id') or self.action} {self.names()}>"

    @property
    def action(self):
        return urljoin(self.page_url, self.attrs.get("action") or self.page_url)

    @property
    def method(self):
        return (self.attrs.get("method") or "get").lower()

    @property
    def multipart(self):
        return (self.attrs.get("enctype") or "").lower() == "multipart/form-data"

    def names(self):
        return sorted({f.name for f in self.fields if f.name})

    def _named(self, name):
        found = [f for f in self.fields if f.name == name and not f.disabled]
        if not found:
            raise KeyError(f"the form shows no field {name!r}: {self.names()}")
        return found

    def __getitem__(self, name):
        values = [value for f in self._named(name) for _, value in f.pairs()]
        return values[0] if len(values) == 1 else values

    def update(self, **values):
        """Type, choose or tick as a person would: text for a text box or a textarea, a
        value (or a list of them) for a select or a group of boxes, True/False for a
        single checkbox, a file (or a list of them) for a file input."""
        for name, value in values.items():
            fields = self._named(name)
            first = fields[0]
            if first.tag == "select":
                wanted = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
                known = {v for v, _ in first.options}
                if not wanted <= known:
                    raise KeyError(f"{name!r} offers no option {sorted(wanted - known)}")
                first.options = [(v, v in wanted) for v, _ in first.options]
            elif first.type in {"checkbox", "radio"}:
                if isinstance(value, bool) and len(fields) == 1:
                    wanted = {first.attrs.get("value", "on")} if value else set()
                else:
                    wanted = {
                        str(v) for v in (value if isinstance(value, list | tuple) else [value])
                    }
                known = {f.attrs.get("value", "on") for f in fields}
                if not wanted <= known:
                    raise KeyError(f"{name!r} offers no box {sorted(wanted - known)}")
                for f in fields:
                    f.attrs.pop("checked", None)
                    if f.attrs.get("value", "on") in wanted:
                        f.attrs["checked"] = ""
            elif first.tag == "textarea":
                first.text = str(value)
            elif first.type == "file":
                first.files = list(value) if isinstance(value, list | tuple) else [value]
            else:
                if first.type == "hidden":
                    raise KeyError(f"{name!r} is hidden: no one types there")
                first.attrs["value"] = "" if value is None else str(value)
        return self

    def add_inline(self, prefix, **values):
        """Click an admin inline's "Add another": its empty form, copied with the next
        number, as the admin's script does; then type `values` into it."""
        total = self._named(f"{prefix}-TOTAL_FORMS")[0]
        number = int(total.attrs.get("value") or 0)
        for field in list(self.fields):
            if field.name.startswith(f"{prefix}-__prefix__-"):
                clone = copy.deepcopy(field)
                clone.name = clone.attrs["name"] = field.name.replace("__prefix__", str(number))
                self.fields.append(clone)
        total.attrs["value"] = str(number + 1)
        return self.update(**{f"{prefix}-{number}-{name}": v for name, v in values.items()})

    def data(self, button=None):
        """What the browser sends, as the test client takes it: {name: [values]}."""
        return _grouped(self.pairs(button))

    def pairs(self, button=None):
        pairs = [pair for f in self.fields for pair in f.pairs()]
        chosen = self._button(button)
        if chosen is not None and chosen.name:
            pairs.append((chosen.name, chosen.attrs.get("value", "")))
        return pairs

    def _button(self, button):
        """The button clicked: the one named (by its name or value), else the first."""
        if button is None:
            return self.buttons[0] if self.buttons else None
        for candidate in self.buttons:
            if button in {candidate.name, candidate.attrs.get("value")}:
                return candidate
        raise KeyError(f"no button {button!r}")

    def submit(self, client, button=None, **extra):
        pairs = self.pairs(button)
        # A button may send the form elsewhere (formaction, formmethod), as browsers do.
        chosen = self._button(button)
        overrides = chosen.attrs if chosen is not None else {}
        action = (
            urljoin(self.page_url, overrides["formaction"])
            if overrides.get("formaction")
            else self.action
        )
        method = (overrides.get("formmethod") or self.method).lower()
        if method == "get":
            return client.get(action, _grouped(pairs), **extra)
        if self.multipart:
            return client.post(action, _grouped(pairs), **extra)
        return client.post(
            action,
            urlencode(pairs),
            content_type="application/x-www-form-urlencoded",
            **extra,
        )


def _grouped(pairs):
    grouped = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped


class _FormParser(HTMLParser):
    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[RenderedForm] = []
        self.form = None
        self.select = None
        self.option = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {k: ("" if v is None else v) for k, v in attrs}
        if tag == "form":
            self.form = RenderedForm(attrs, self.page_url)
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input":
            field = Field(tag, attrs)
            (self.form.buttons if field.type in SKIPPED_INPUTS else self.form.fields).append(field)
        elif tag == "button":
            if (attrs.get("type") or "submit").lower() == "submit":
                self.form.buttons.append(Field(tag, attrs))
        elif tag == "select":
            self.select = Field(tag, attrs)
            self.form.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = [attrs.get("value"), "selected" in attrs, ""]
            self.select.options.append(self.option)
        elif tag == "textarea":
            self.textarea = Field(tag, attrs)
            self.form.fields.append(self.textarea)

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None:
            self._close_option()
            self.select.options = [(value, selected) for value, selected, _ in self.select.options]
            self.select = None
        elif tag == "option":
            self._close_option()
        elif tag == "textarea" and self.textarea is not None:
            # The HTML parser drops the line break that may follow <textarea>; so does ours.
            text = self.textarea.text
            self.textarea.text = text[1:] if text.startswith("\n") else text
            self.textarea = None

    def _close_option(self):
        if self.option is not None:
            if self.option[0] is None:  # no value attribute: the option's text
                self.option[0] = self.option[2].strip()
            self.option = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.text += data
        elif self.option is not None:
            self.option[2] += data


def rendered_forms(response) -> list[RenderedForm]:
    page_url = response.wsgi_request.build_absolute_uri() if response.wsgi_request else "/"
    parser = _FormParser(page_url)
    parser.feed(response.content.decode())
    return parser.forms


def rendered_form(response, selector=None) -> RenderedForm:
    """The page's form: the one whose id, action or one of whose classes is `selector`, else
    its only POST form with fields beyond the CSRF token (the admin's change form among its
    search and logout forms: the largest)."""
    forms = rendered_forms(response)
    if selector is not None:
        for form in forms:
            names = {form.attrs.get("id"), form.attrs.get("action")}
            if selector in names | set(form.attrs.get("class", "").split()):
                return form
        raise LookupError(f"no form {selector!r} among {forms}")
    posts = [f for f in forms if f.method == "post" and len(f.names()) > 1]
    if not posts:
        raise LookupError(f"no form to fill among {forms}")
    return max(posts, key=lambda f: len(f.fields))
