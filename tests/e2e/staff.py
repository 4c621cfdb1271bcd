"""What the browser journeys share: staff log in through the admin's own form."""

# The password tests.factories.make_user gives every account.
PASSWORD = "correct horse battery staple"


def log_in(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")


def story_text(page):
    """The body's rich-text editor, ready: what a journalist clicks and types in."""
    text = page.locator(".field-body .tiptap")
    text.wait_for()
    return text


def select_in_text(page, words):
    """Select `words` in the body's editor, as a journalist's double-click or drag would."""
    page.evaluate(
        """(words) => {
            const root = document.querySelector(".field-body .tiptap");
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const at = walker.currentNode.data.indexOf(words);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(walker.currentNode, at);
                range.setEnd(walker.currentNode, at + words.length);
                root.focus();
                const selection = window.getSelection();
                selection.removeAllRanges();
                selection.addRange(range);
                return;
            }
            throw new Error(`not in the text: ${words}`);
        }""",
        words,
    )
    page.wait_for_timeout(50)  # ProseMirror reads the selection on the next event turn
