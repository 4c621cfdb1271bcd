from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from comments.context import comment_block

from .models import Article, Tag


class ArticleListView(ListView):
    paginate_by = settings.NEWSROOM_PAGE_SIZE

    def get_queryset(self):
        return Article.objects.published().with_cards()


class ArticleDetailView(DetailView):
    def get_queryset(self):
        return Article.objects.visible_to(self.request.user).with_page()

    def get_context_data(self, *, comment_form=None, comment_error="", **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            comment_block(self.request, self.object, form=comment_form, error=comment_error)
        )
        return context


def render_article(request, article, *, status, **comment_block_kwargs):
    """The story page, answering a comment POST that could not be stored."""
    view = ArticleDetailView()
    view.setup(request, slug=article.slug)
    view.object = article
    context = view.get_context_data(object=article, **comment_block_kwargs)
    return view.render_to_response(context, status=status)


class TagDetailView(ListView):
    paginate_by = settings.NEWSROOM_PAGE_SIZE
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return Article.objects.published().tagged(self.tag).with_cards()

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)
