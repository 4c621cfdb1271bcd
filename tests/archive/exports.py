"""Small WordPress and Disqus exports written for the tests, in the formats' own shape."""

from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"

WXR_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>La Gazette du port</title>
<link>https://gazette.example</link>
<language>fr-FR</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://gazette.example</wp:base_site_url>
<wp:base_blog_url>https://gazette.example</wp:base_blog_url>
<wp:author><wp:author_id>2</wp:author_id><wp:author_login><![CDATA[mlambert]]></wp:author_login>
<wp:author_email><![CDATA[m.lambert@gazette.example]]></wp:author_email>
<wp:author_display_name><![CDATA[Maud Lambert]]></wp:author_display_name>
<wp:author_first_name><![CDATA[]]></wp:author_first_name>
<wp:author_last_name><![CDATA[]]></wp:author_last_name></wp:author>
<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename><![CDATA[non-classe]]></wp:category_nicename>
<wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Non classé]]></wp:cat_name></wp:category>
<wp:category><wp:term_id>5</wp:term_id><wp:category_nicename><![CDATA[economie]]></wp:category_nicename>
<wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Économie]]></wp:cat_name></wp:category>
<wp:category><wp:term_id>6</wp:term_id><wp:category_nicename><![CDATA[port]]></wp:category_nicename>
<wp:category_parent><![CDATA[economie]]></wp:category_parent><wp:cat_name><![CDATA[Le port]]></wp:cat_name></wp:category>
<wp:tag><wp:term_id>9</wp:term_id><wp:tag_slug><![CDATA[export]]></wp:tag_slug><wp:tag_name><![CDATA[Export]]></wp:tag_name></wp:tag>
"""

WXR_FOOT = "</channel>\n</rss>\n"


def comment(
    cid, author, text, approved="1", parent="0", email=None, type_="", date="2019-05-12 10:00:00"
):
    email = email if email is not None else f"{cid}@lecteurs.example"
    return f"""<wp:comment><wp:comment_id>{cid}</wp:comment_id>
<wp:comment_author><![CDATA[{author}]]></wp:comment_author>
<wp:comment_author_email><![CDATA[{email}]]></wp:comment_author_email>
<wp:comment_author_IP><![CDATA[192.0.2.7]]></wp:comment_author_IP>
<wp:comment_date><![CDATA[{date}]]></wp:comment_date>
<wp:comment_date_gmt><![CDATA[{date}]]></wp:comment_date_gmt>
<wp:comment_content><![CDATA[{text}]]></wp:comment_content>
<wp:comment_approved><![CDATA[{approved}]]></wp:comment_approved>
<wp:comment_type><![CDATA[{type_}]]></wp:comment_type>
<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"""


def post(
    pid,
    title,
    content,
    *,
    slug=None,
    status="publish",
    date="2019-05-12 08:30:00",
    excerpt="",
    categories=(("category", "economie", "Économie"),),
    comments="",
    meta="",
    password="",
    type_="post",
    comment_status="open",
):
    slug = slug if slug is not None else f"article-{pid}"
    day = date[:10].replace("-", "/")
    cats = "".join(
        f'<category domain="{d}" nicename="{n}"><![CDATA[{name}]]></category>'
        for d, n, name in categories
    )
    return f"""<item>
<title>{title}</title>
<link>https://gazette.example/{day}/{slug}/</link>
<guid isPermaLink="false">https://gazette.example/?p={pid}</guid>
<dc:creator><![CDATA[mlambert]]></dc:creator>
<content:encoded><![CDATA[{content}]]></content:encoded>
<excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
<wp:post_id>{pid}</wp:post_id>
<wp:post_date><![CDATA[{date}]]></wp:post_date>
<wp:post_date_gmt><![CDATA[{date if status != "draft" else "0000-00-00 00:00:00"}]]></wp:post_date_gmt>
<wp:comment_status><![CDATA[{comment_status}]]></wp:comment_status>
<wp:post_name><![CDATA[{slug}]]></wp:post_name>
<wp:status><![CDATA[{status}]]></wp:status>
<wp:post_type><![CDATA[{type_}]]></wp:post_type>
<wp:post_password><![CDATA[{password}]]></wp:post_password>
{cats}{meta}{comments}
</item>
"""


def attachment(pid, url, alt="", caption=""):
    return f"""<item><title>{pid}</title><link>https://gazette.example/?attachment_id={pid}</link>
<guid isPermaLink="false">{url}</guid><excerpt:encoded><![CDATA[{caption}]]></excerpt:encoded>
<wp:post_id>{pid}</wp:post_id><wp:status>inherit</wp:status><wp:post_type>attachment</wp:post_type>
<wp:attachment_url><![CDATA[{url}]]></wp:attachment_url>
<wp:postmeta><wp:meta_key>_wp_attachment_image_alt</wp:meta_key><wp:meta_value><![CDATA[{alt}]]></wp:meta_value></wp:postmeta>
</item>
"""


def thumbnail(attachment_id):
    return (
        "<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key>"
        f"<wp:meta_value>{attachment_id}</wp:meta_value></wp:postmeta>"
    )


def wxr(tmp_path, *items, name="export.xml"):
    path = tmp_path / name
    path.write_text(WXR_HEAD + "".join(items) + WXR_FOOT, encoding="utf-8")
    return path


def disqus(tmp_path, threads, posts, name="disqus.xml"):
    """threads: [(dsq id, link, identifier)]; posts: [(dsq id, thread, parent, message,
    name, email, deleted, spam)]."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
        'xmlns:dsq="http://disqus.com/disqus-internals">'
    ]
    for tid, link, identifier in threads:
        parts.append(
            f'<thread dsq:id="{tid}"><id>{identifier}</id><forum>gazette</forum>'
            f"<link>{link}</link><title>Un fil</title></thread>"
        )
    for pid, thread, parent, message, name, email, deleted, spam in posts:
        parent_el = f'<parent dsq:id="{parent}"/>' if parent else ""
        email_el = f"<email>{email}</email>" if email else ""
        parts.append(
            f'<post dsq:id="{pid}"><id/><message><![CDATA[{message}]]></message>'
            f"<createdAt>2020-03-0{pid % 9 + 1}T10:00:00Z</createdAt>"
            f"<isDeleted>{str(deleted).lower()}</isDeleted><isSpam>{str(spam).lower()}</isSpam>"
            f"<author>{email_el}<name>{name}</name><isAnonymous>{str(not email).lower()}</isAnonymous></author>"
            f'<thread dsq:id="{thread}"/>{parent_el}</post>'
        )
    parts.append("</disqus>\n")
    path = tmp_path / name
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
