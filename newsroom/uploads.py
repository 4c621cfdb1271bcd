"""Files are for the admin: a public form takes none."""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler


class FileOnAPublicForm(SuspiciousOperation):
    """A file part sent to a public address: refused (400) before a byte of it is stored."""


class NoFilesOutsideTheAdmin(FileUploadHandler):
    """First of the upload handlers: a file part in a request outside the admin stops the
    request before any handler writes it (DATA_UPLOAD_MAX_MEMORY_SIZE counts no file, and a
    file goes to disk). The admin's uploads keep their own checks (type, size, pixels)."""

    def new_file(self, field_name, file_name, *args, **kwargs):
        if not self.request.path.startswith("/" + settings.ADMIN_URL):
            raise FileOnAPublicForm(f"file part {field_name!r} on {self.request.path}")

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
