"""What a story page tells search engines and social networks about itself."""

import json

from django.templatetags.static import static
from django.utils.safestring import mark_safe

PUBLISHER = "Newsroom"
# Characters that could end a <script> element or open markup inside JSON.
_JSON_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def share_image(article, request):
    """The image networks show with a link: the 1200×630 crop around the focal point (JPEG or
    PNG), or before it exists the largest rendition. (url, width, height, type) or None."""
    if article.share_image:
        url, width, height, kind = article.share_image
        return request.build_absolute_uri(url), width, height, kind
    if article.image_renditions:
        width, height, _name = max(article.image_renditions)
        return request.build_absolute_uri(article.image_src(1600)), width, height, "image/webp"
    return None


def news_article_jsonld(article, request) -> str:
    """schema.org NewsArticle as JSON, safe to place inside a <script> element."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.standfirst,
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "datePublished": article.published_at.isoformat(),
        "dateModified": max(article.updated_at, article.published_at).isoformat(),
        "author": [{"@type": "Person", "name": name} for name in article.byline],
        "publisher": {
            "@type": "Organization",
            "name": PUBLISHER,
            "logo": {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(static("img/logo.png")),
            },
        },
        "keywords": [tag.name for tag in article.tag_list],
    }
    # Search engines take the whole picture first, then the crop made for sharing.
    images = []
    if article.image_renditions:
        images.append(request.build_absolute_uri(article.image_src(1600)))
    if article.share_image:
        images.append(request.build_absolute_uri(article.share_image[0]))
    if images:
        data["image"] = images
    corrections = article.correction_list
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": c.text,
                "datePublished": c.created_at.isoformat(),
                "url": request.build_absolute_uri(c.get_absolute_url()),
            }
            for c in corrections
        ]
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES))  # noqa: S308
