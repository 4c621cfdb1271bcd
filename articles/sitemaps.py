from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from .models import Article, Tag
from .querysets import live


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "updated_at", "published_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, article):
        return max(article.updated_at, article.published_at)


class TagSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return (
            Tag.objects.annotate(latest=Max("articles__published_at", filter=live("articles__")))
            .filter(latest__isnull=False)
            .order_by("name")
        )

    def lastmod(self, tag):
        return tag.latest


SITEMAPS = {"stories": ArticleSitemap, "tags": TagSitemap}
