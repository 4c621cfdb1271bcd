"""What the browser journeys share: staff log in through the admin's own form."""

# The password tests.factories.make_user gives every account.
PASSWORD = "correct horse battery staple"


def log_in(page, base, username):
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(base + "/admin/")
