import pytest

from articles.services import article_save
from tests.factories import image_upload, make_article


@pytest.mark.django_db
def test_lead_image_gets_webp_renditions_for_srcset():
    article = make_article(image=image_upload(size=(1200, 800)), image_alt="Le port")
    widths = [width for width, _height, _name in article.image_renditions]
    assert widths == [480, 960, 1200]
    assert all(name.endswith(".webp") for *_, name in article.image_renditions)
    assert "480w" in article.image_srcset and "1200w" in article.image_srcset


@pytest.mark.django_db
def test_replacing_the_image_removes_old_renditions_once_committed(
    media_root, django_capture_on_commit_callbacks
):
    article = make_article(image=image_upload(), image_alt="Avant")
    old = [name for *_, name in article.image_renditions]
    article.image = image_upload("autre.png", image_format="PNG")
    with django_capture_on_commit_callbacks(execute=True):
        article_save(article=article)
    assert not any((media_root / name).exists() for name in old)
    assert all((media_root / name).exists() for *_, name in article.image_renditions)
