"""Importing another site's archive: a WordPress export (stories, authors, tags, images,
comments) and a Disqus export (comments). Each story is stored with its comments in one
transaction, and every object remembers its id in the export (SourceRecord): a second run
creates nothing new, and a run cut short resumes where it stopped. The old site's
addresses go to OldAddress, answered by a 301 (archive.middleware)."""

import contextlib
import html
import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from articles.models import Article, BodyImage, Tag, fold_slug
from articles.rendering import stored_body
from articles.services import article_save, body_image_save, tag_save
from comments.models import Comment
from comments.services.archive import ArchivedComment, comments_import

from . import disqus, wxr
from .convert import Figure, comment_text, place_figures, to_markdown
from .fetch import NotFetched, fetch_image
from .models import OldAddress, SourceRecord

# The category every WordPress post falls in when it has no other: not a section here.
DEFAULT_CATEGORIES = {"uncategorized", "non-classe", "sans-categorie"}
COMMENT_LIMIT = 3000
# WordPress's comment states, as this site keeps them. Trash is kept as rejected (its
# author's text stays out of the site, and the duplicate rule knows it), spam as spam.
WP_STATES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
    "trash": Comment.Status.REJECTED,
}


@dataclass
class Report:
    """What an import did (or would do, in a dry run): counts by kind and state, what was
    skipped and why, the images that could not be fetched."""

    dry_run: bool = False
    counts: Counter = field(default_factory=Counter)
    skipped: list = field(default_factory=list)  # (kind, what, reason)
    missing_images: list = field(default_factory=list)  # (story, address, reason)
    unmatched: list = field(default_factory=list)  # (thread address, posts)

    def count(self, kind, state=""):
        self.counts[(kind, state)] += 1

    def skip(self, kind, what, reason):
        self.skipped.append((kind, what, reason))

    def lines(self) -> list[str]:
        head = "Dry run: nothing was written." if self.dry_run else "Import finished."
        lines = [head]
        for (kind, state), n in sorted(self.counts.items()):
            lines.append(f"  {kind}{' (' + state + ')' if state else ''}: {n}")
        if self.skipped:
            lines.append(f"Skipped ({len(self.skipped)}):")
            lines += [f"  {kind} “{what}”: {reason}" for kind, what, reason in self.skipped]
        if self.missing_images:
            lines.append(f"Images not imported ({len(self.missing_images)}):")
            lines += [f"  {story}: {url} ({reason})" for story, url, reason in self.missing_images]
        if self.unmatched:
            lines.append(f"Threads matched to no story ({len(self.unmatched)}):")
            lines += [
                f"  {link or '(no address)'}: {n} comment{'s' if n != 1 else ''}"
                for link, n in self.unmatched
            ]
        return lines


class _DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


def _dry_run_transaction(dry_run):
    """One transaction around the whole run for a dry run (rolled back at its end); none
    otherwise, so that each story's own transaction commits (and a run cut short keeps
    what it stored)."""
    return transaction.atomic() if dry_run else contextlib.nullcontext()


def _path(url: str) -> str:
    """An address's path, decoded, without its last slash ("/" for the home page)."""
    return OldAddress.normalise(unquote(urlsplit(url).path or "/"))


def _record(source, kind, source_id, object_id):
    SourceRecord.objects.create(
        source=source, kind=kind, source_id=str(source_id), object_id=object_id
    )


def _known(source, kind, source_ids) -> dict:
    rows = SourceRecord.objects.filter(
        source=source, kind=kind, source_id__in=[str(i) for i in source_ids]
    )
    return dict(rows.values_list("source_id", "object_id"))


def _addresses(paths, **target):
    """Old addresses for a page; one already taken (another story's) is left to it."""
    OldAddress.objects.bulk_create(
        [OldAddress(path=p, **target) for p in dict.fromkeys(paths) if p and p != "/"],
        ignore_conflicts=True,
    )


def _store_comments(source, report, article, items, row):
    """An export's comments on one story (each item with its `id`; `row(item)` its
    ArchivedComment, the text as the export has it): those stored by an earlier run left,
    the others cleaned, stored in one transaction with their source records, counted."""
    done = _known(source, SourceRecord.Kind.COMMENT, [item.id for item in items])
    new = [item for item in items if item.id not in done]
    if len(items) > len(new):
        report.counts[("comment", "already imported")] += len(items) - len(new)
    if not new:
        return
    rows = []
    for item in new:
        archived = row(item)
        archived.body, cut = comment_text(archived.body, COMMENT_LIMIT)
        if cut:
            report.count("comment", "cut at 3,000 characters")
        rows.append(archived)
    parents = {r.parent_source_id for r in rows if r.parent_source_id}
    known_ids = _known(source, SourceRecord.Kind.COMMENT, parents)
    found = Comment.objects.select_related("parent").in_bulk(list(known_ids.values()))
    known = {sid: found[pk] for sid, pk in known_ids.items() if pk in found}
    with transaction.atomic():
        stored = comments_import(article=article, comments=rows, known=known)
        SourceRecord.objects.bulk_create(
            SourceRecord(
                source=source, kind=SourceRecord.Kind.COMMENT, source_id=sid, object_id=c.pk
            )
            for sid, c in stored.items()
        )
    for comment in stored.values():
        report.count("comment", comment.status)


class WordPressImport:
    def __init__(self, path, *, images=True, dry_run=False, progress=None):
        self.path, self.images, self.dry_run = path, images, dry_run
        self.progress = progress or (lambda done, total: None)
        self.report = Report(dry_run=dry_run)
        self.zone = timezone.get_current_timezone()
        self.authors, self.terms, self.attachments = {}, {}, {}
        self.users, self.tags = {}, {}
        # Hosts that did not answer once are not asked again during the run.
        self.dead_hosts = {}

    # First pass: the whole file read once (a broken or hostile one is refused before a row
    # is written), the authors, terms and attachments kept (small), the posts counted.
    def survey(self):
        self.total = 0
        for kind, obj in wxr.read(self.path):
            if kind == "site":
                self.site = obj
            elif kind == "author":
                self.authors[obj.login] = obj
            elif kind == "term":
                self.terms[(obj.domain, obj.slug)] = obj
            elif obj.type == "attachment":
                self.attachments[obj.id] = Figure(
                    url=obj.attachment_url or obj.guid,
                    alt=obj.meta.get("_wp_attachment_image_alt", ""),
                    caption=html.unescape(obj.excerpt),
                    title=html.unescape(obj.title),
                )
            else:
                self.total += 1
        base = self.site.get("wp:base_blog_url") or self.site.get("link") or ""
        self.source = f"wordpress:{base.rstrip('/')}"[:200]
        self.prefix = urlsplit(base).path.rstrip("/")
        language = (self.site.get("language") or "").split("-")[0].lower()
        self.language = language if language in dict(settings.LANGUAGES) else "fr"

    def run(self) -> Report:
        self.survey()
        try:
            # Each story commits with its comments; a dry run rolls everything back at the end.
            with _dry_run_transaction(self.dry_run):
                done = 0
                _addresses([f"{self.prefix}/feed"])  # the old site's feed: this site's
                for kind, item in wxr.read(self.path):
                    if kind != "item" or item.type == "attachment":
                        continue
                    self.item(item)
                    done += 1
                    self.progress(done, self.total)
                if self.dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        return self.report

    # One item of the export.
    def item(self, item):
        title = html.unescape(item.title).strip()
        if item.type == "page":
            self.report.skip("page", title, "pages are not imported")
            return
        if item.type != "post":
            self.report.count("other items, not imported", item.type or "?")
            return
        if item.status in {"private", "trash", "auto-draft", "inherit"}:
            self.report.skip("post", title, f"{item.status} posts are not imported")
            return
        if item.password:
            self.report.skip("post", title, "password-protected posts are not imported")
            return
        if item.too_long:
            self.report.skip("post", title, "its text is larger than 2 MB")
            return
        known = _known(self.source, SourceRecord.Kind.POST, [item.id])
        if known:
            article = Article.objects.filter(pk=known[item.id]).first()
            self.report.count("story", "already imported")
            if article is not None:
                self.comments(article, item)  # each story's in one transaction of their own
            return
        figures = to_markdown(item.content)
        fetched = self.fetch(title, figures.figures, item.meta.get("_thumbnail_id", ""))
        with transaction.atomic():
            article = self.story(item, title, figures, fetched)
            self.comments(article, item)

    def fetch(self, title, figures, thumbnail_id):
        """The story's images, fetched before its transaction opens (a slow server must not
        hold the database): {figure index or "lead": (upload, figure)}."""
        wanted = {}
        for index, figure in enumerate(figures):
            if figure.url.startswith("attachment:"):
                attachment = self.attachments.get(figure.url.split(":", 1)[1])
                if attachment is None:
                    self.report.missing_images.append((title, figure.url, "not in the export"))
                    continue
                figure.url = attachment.url
                figure.alt = figure.alt or attachment.alt
                figure.caption = figure.caption or attachment.caption
            wanted[index] = figure
        if thumbnail_id in self.attachments:
            wanted["lead"] = self.attachments[thumbnail_id]
        fetched = {}
        for key, figure in wanted.items():
            url = figure.url
            if not self.images or self.dry_run:
                why = "dry run: not fetched" if self.dry_run else "not fetched (--no-images)"
                self.report.missing_images.append((title, url, why))
                continue
            host = urlsplit(url).hostname or ""
            if host in self.dead_hosts:
                self.report.missing_images.append((title, url, self.dead_hosts[host]))
                continue
            try:
                fetched[key] = (fetch_image(url), figure)
                self.report.count("images", "fetched")
            except NotFetched as failed:
                self.report.missing_images.append((title, url, str(failed)))
                if failed.host_down:
                    self.dead_hosts[host] = str(failed)
        return fetched

    def story(self, item, title, body, fetched):
        status, published_at = self.state(item)
        article = Article(
            title=(title or "Sans titre")[:200],
            slug=self.slug(item, title),
            standfirst=self.standfirst(item, body.markdown),
            body=body.markdown,
            status=status,
            published_at=published_at,
            language=self.language,
            comments_open=item.comment_status == "open",
        )
        if "lead" in fetched:
            upload, lead = fetched["lead"]
            article.image = upload
            article.image_alt = (lead.alt or lead.title or article.title)[:250]
        for name in set(body.dropped):
            self.report.count("shortcodes removed", name)
        article = article_save(
            article=article,
            tags=self.tags_of(item),
            authors=[user for user in [self.user(item.creator)] if user],
            comment="Imported from WordPress",
        )
        placed = {}
        for key, (upload, figure) in fetched.items():
            if key == "lead":
                continue
            alt = figure.alt or figure.title or figure.caption or article.title
            image = body_image_save(
                image=BodyImage(
                    article=article, image=upload, alt=alt[:250], caption=figure.caption[:300]
                )
            )
            placed[key] = image.placeholder
        final = stored_body(place_figures(body.markdown, placed))
        if final != article.body:
            article.body = final
            article = article_save(article=article, comment="Imported from WordPress: images")
        _record(self.source, SourceRecord.Kind.POST, item.id, article.pk)
        link = _path(item.link) if item.link else ""
        paths = [link, f"{self.prefix}/?p={item.id}"]
        guid = parse_qs(urlsplit(item.guid).query).get("p", [""])[0]
        if guid and guid != item.id:
            paths.append(f"{self.prefix}/?p={guid}")
        if item.slug:
            paths.append(f"{self.prefix}/{unquote(item.slug)}")
        _addresses(paths, article=article)
        if link and link != "/":
            _addresses([f"{link}/feed"], article=article, feed=True)
        if status == Article.Status.DRAFT:
            self.report.count("story", "draft")
        elif published_at > timezone.now():
            self.report.count("story", "scheduled")
        else:
            self.report.count("story", "published")
        return article

    def state(self, item):
        when = wxr.parse_date(item.date_gmt, item.date, self.zone) or timezone.now()
        if item.status in {"publish", "future"}:
            return Article.Status.PUBLISHED, when
        return Article.Status.DRAFT, when

    def slug(self, item, title):
        base = fold_slug(unquote(item.slug) or title) or "article"
        slug, n = base, 1
        while Article.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base[:190]}-{n}"
        return slug

    def standfirst(self, item, markdown):
        """The excerpt when there is one, else the text's first paragraph, cut at a word."""
        text, _cut = comment_text(item.excerpt, 800)
        if not text:
            first = next(
                (p for p in markdown.split("\n\n") if p and not p.startswith(("#", "⟦", ">", "-"))),
                "",
            )
            text = re.sub(r"[*_`\[\]]|\(https?://[^)]*\)", "", first).strip()
            if len(text) > 300:
                text = text[:300].rsplit(" ", 1)[0] + "…"
        return text

    def user(self, login):
        """The journalist an author became: inactive, no password, until an editor enables them."""
        if not login:
            return None
        if login in self.users:
            return self.users[login]
        User = get_user_model()
        known = _known(self.source, SourceRecord.Kind.AUTHOR, [login])
        if known:
            user = User.objects.filter(pk=known[login]).first()
        else:
            author = self.authors.get(login) or wxr.Author(login, "", login, "", "")
            first, last = author.first_name, author.last_name
            if not (first or last):
                first, _, last = html.unescape(author.display_name or login).partition(" ")
            username, n = login[:140], 1
            while User.objects.filter(username=username).exists():
                n += 1
                username = f"{login[:140]}-{n}"
            user = User(
                username=username,
                email=author.email,
                first_name=first[:150],
                last_name=last[:150],
                is_active=False,
                is_staff=True,
            )
            user.set_unusable_password()
            user.save()
            journalists = Group.objects.filter(name="Journalists").first()
            if journalists:
                user.groups.add(journalists)
            _record(self.source, SourceRecord.Kind.AUTHOR, login, user.pk)
            self.report.count("journalist", "created, inactive")
        self.users[login] = user
        return user

    def tags_of(self, item):
        tags = []
        for term in item.terms:
            if term.domain not in {"category", "post_tag"} or term.slug in DEFAULT_CATEGORIES:
                continue
            tag = self.tag(term)
            if tag and tag not in tags:
                tags.append(tag)
        return tags

    def tag(self, term):
        key = f"{term.domain}:{term.slug}"
        if key in self.tags:
            return self.tags[key]
        name = html.unescape(self.terms.get((term.domain, term.slug), term).name or term.slug)[:60]
        known = _known(self.source, SourceRecord.Kind.TERM, [key])
        tag = None
        if known:
            tag = Tag.objects.filter(pk=known[key]).first()
        if tag is None:
            slug = fold_slug(unquote(term.slug), 60) or fold_slug(name, 60)
            tag = (
                Tag.objects.filter(slug=slug).first()
                or Tag.objects.filter(name__iexact=name).first()
            )
            if tag is None:
                tag = tag_save(tag=Tag(name=name, slug=slug))
                self.report.count("tag", "created")
            _record(self.source, SourceRecord.Kind.TERM, key, tag.pk)
            kind = "category" if term.domain == "category" else "tag"
            path = f"{self.prefix}/{kind}/{self.category_path(term) if kind == 'category' else unquote(term.slug)}"
            _addresses([path], tag=tag)
            _addresses([f"{path}/feed"], tag=tag, feed=True)
        self.tags[key] = tag
        return tag

    def category_path(self, term):
        """ "parent/child" as WordPress writes a category's address."""
        parts, seen, slug = [], set(), term.slug
        while slug and slug not in seen:
            seen.add(slug)
            parts.insert(0, unquote(slug))
            parent = self.terms.get(("category", slug))
            slug = parent.parent if parent else ""
        return "/".join(parts)

    def comments(self, article, item):
        wanted = []
        for c in item.comments:
            if c.type in {"pingback", "trackback"}:
                self.report.count("comment", "pingback or trackback, skipped")
                continue
            if c.approved not in WP_STATES:
                self.report.count("comment", f"state “{c.approved}”, skipped")
                continue
            wanted.append(c)
        _store_comments(
            self.source,
            self.report,
            article,
            wanted,
            lambda c: ArchivedComment(
                source_id=c.id,
                parent_source_id="" if c.parent in {"", "0"} else c.parent,
                name=html.unescape(c.author),
                email=c.email,
                body=c.content,
                created_at=wxr.parse_date(c.date_gmt, c.date, self.zone) or timezone.now(),
                status=WP_STATES[c.approved],
            ),
        )


def import_wordpress(path, **options) -> Report:
    return WordPressImport(path, **options).run()


class DisqusImport:
    """Disqus threads matched to stories by their address, their posts stored as comments;
    a thousand posts at a time, each story's in one transaction."""

    CHUNK = 1000

    def __init__(self, path, *, dry_run=False, progress=None):
        self.path, self.dry_run = path, dry_run
        self.progress = progress or (lambda done, total: None)
        self.report = Report(dry_run=dry_run)

    def run(self) -> Report:
        threads, self.total, forum = {}, 0, ""
        for kind, obj in disqus.read(self.path):
            if kind == "thread":
                threads[obj.id] = obj
                forum = forum or obj.forum
            else:
                self.total += 1
        self.source = f"disqus:{forum or 'disqus'}"[:200]
        self.articles = {tid: self.match(thread) for tid, thread in threads.items()}
        self.unmatched = Counter()
        try:
            with _dry_run_transaction(self.dry_run):
                chunk, done = [], 0
                for kind, post in disqus.read(self.path):
                    if kind != "post":
                        continue
                    chunk.append(post)
                    if len(chunk) == self.CHUNK:
                        self.store(chunk)
                        done += len(chunk)
                        self.progress(done, self.total)
                        chunk = []
                self.store(chunk)
                self.progress(self.total, self.total)
                if self.dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        for thread_id, n in self.unmatched.items():
            thread = threads.get(thread_id)
            self.report.unmatched.append((thread.link if thread else f"(thread {thread_id})", n))
        return self.report

    def match(self, thread):
        """The story a thread was about: by its address (the old site's, "?p=ID", or this
        site's), or by the identifier the WordPress plugin gives ("123 https://…?p=123")."""
        candidates = []
        for url in (thread.link, *thread.identifier.split()):
            if not url:
                continue
            parts = urlsplit(url)
            candidates.append(_path(url))
            p = parse_qs(parts.query).get("p", [""])[0]
            if p:
                prefix = OldAddress.normalise(unquote(parts.path)).rstrip("/")
                candidates += [f"{prefix}/?p={p}", f"/?p={p}"]
        if thread.identifier.split(" ")[0].isdigit():
            candidates.append(f"/?p={thread.identifier.split(' ')[0]}")
        for path in candidates:
            address = OldAddress.objects.filter(path=path, feed=False).exclude(article=None).first()
            if address:
                return address.article
            slug = re.fullmatch(r"/articles/([\w-]+)", path)
            if slug:
                article = Article.objects.filter(slug=slug[1]).first()
                if article:
                    return article
        return None

    def store(self, posts):
        by_article = {}
        for post in posts:
            if post.deleted:
                self.report.count("comment", "deleted in Disqus, skipped")
                continue
            article = self.articles.get(post.thread)
            if article is None:
                self.unmatched[post.thread] += 1
                continue
            by_article.setdefault(article, []).append(post)
        for article, items in by_article.items():
            _store_comments(self.source, self.report, article, items, self.row)

    @staticmethod
    def row(post):
        status = Comment.Status.APPROVED
        if post.spam:
            status = Comment.Status.SPAM
        elif not post.approved:
            status = Comment.Status.PENDING
        return ArchivedComment(
            source_id=post.id,
            parent_source_id=post.parent,
            name=post.name,
            email=post.email,
            body=post.message,
            created_at=post.created_at or timezone.now(),
            status=status,
        )


def import_disqus(path, **options) -> Report:
    return DisqusImport(path, **options).run()
