from django.utils import timezone

from .models import Article


def article_publish(*, article: Article) -> Article:
    """Put a story on the site now; a story already live keeps its publication time."""
    if article.is_live:
        return article
    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now()
    article.save()
    return article


def article_unpublish(*, article: Article) -> Article:
    """Take a story off the site: it becomes a draft again."""
    if article.status == Article.Status.DRAFT:
        return article
    article.status = Article.Status.DRAFT
    article.save()
    return article
