import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.images import validate_lead_image
from newsroom.typography import french
from tests.factories import image_upload


def test_validate_rejects_a_file_that_is_not_an_image():
    with pytest.raises(ValidationError, match="pas une image lisible"):
        validate_lead_image(SimpleUploadedFile("x.jpg", b"this is not an image"))


def test_validate_rejects_a_gif():
    with pytest.raises(ValidationError, match="GIF"):
        validate_lead_image(image_upload("x.gif", size=(50, 50), image_format="GIF", mode="P"))


def test_validate_rejects_more_than_twenty_megapixels():
    with pytest.raises(ValidationError) as error:
        validate_lead_image(
            image_upload("big.png", size=(5000, 4001), image_format="PNG", mode="1")
        )
    assert french("la limite est de 20 mégapixels") in error.value.messages[0]


def test_validate_rejects_more_than_ten_megabytes():
    heavy = SimpleUploadedFile("heavy.jpg", b"\xff" * (10 * 1024 * 1024 + 1))
    with pytest.raises(ValidationError) as error:
        validate_lead_image(heavy)
    assert french("Cette image pèse 10,0 Mo ; la limite est de 10 Mo.") == error.value.messages[0]


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_validate_accepts_jpeg_png_and_webp_and_rewinds_the_file(image_format):
    upload = image_upload(f"x.{image_format.lower()}", image_format=image_format)
    upload.seek(10)
    validate_lead_image(upload)  # raises ValidationError when refused
    assert upload.tell() == 0  # ready to be stored whole
