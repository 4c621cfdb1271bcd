"""What the stories app tells whoever listens; it imports none of them."""

from django.dispatch import Signal

# The demo's stories and accounts are in place (manage.py load_demo): other apps add their
# part (comments add theirs). Sent with users={username: user} and comments=N (a long
# comment section asked for, 0 if none); a receiver returns a short account of what it
# added, printed after the stories'.
demo_loaded = Signal()
