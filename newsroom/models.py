"""The site-wide pieces' own rows."""

from django.db import models


class RateLimitEvent(models.Model):
    """One counted event of a rate limit (newsroom/ratelimit.py), kept here only while the
    shared cache is away."""

    key = models.CharField(max_length=200, db_index=True)
    at = models.DateTimeField()

    class Meta:
        db_table = "comments_ratelimitevent"  # where it was made, by comments

    def __str__(self):
        return f"{self.key} {self.at:%H:%M:%S}"
