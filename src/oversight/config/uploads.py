"""Hostile files, Django side: the file limits from settings, the worker folder, the upload cap.

The checks themselves are pure (:mod:`oversight.engine.limits`, :mod:`oversight.engine.isolation`);
this adapter only says where their numbers come from. Each limit is a Django setting named like
its environment variable (``OVERSIGHT_MAX_UPLOAD_MB`` …); a setting wins over the environment,
which wins over the default.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.middleware.csrf import CsrfViewMiddleware

from oversight.engine import isolation
from oversight.engine.limits import ENV, Limits

# The forkserver imports these once; ``worker`` sets Django up there so the plan readers (which
# use the plans app's models module for its constants) start warm in every child.
isolation.preload("oversight.engine.annex_a", "oversight.config.worker")


def file_limits() -> Limits:
    values: dict[str, object] = {var: os.environ[var] for var in ENV.values() if var in os.environ}
    values.update({var: getattr(settings, var) for var in ENV.values() if hasattr(settings, var)})
    return Limits.from_mapping(values)


def worker_dir() -> Path:
    """Where a worker leaves its result for a moment: inside the data folder, owner-only, since a
    result holds child-level rows."""
    folder = Path(settings.DATA_DIR) / "work"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def max_upload_bytes() -> int:
    return file_limits().max_upload_mb * (1 << 20)


def upload_too_big_message(size: int | None = None) -> str:
    limit = file_limits().max_upload_mb
    shown = f"{size / (1 << 20):,.1f} MB" if size else "over the limit"
    return (f"The file is {shown}; the largest file Oversight accepts is {limit:,} MB "
            f"(OVERSIGHT_MAX_UPLOAD_MB).")


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an upload as soon as it is over ``OVERSIGHT_MAX_UPLOAD_MB``.

    First in ``FILE_UPLOAD_HANDLERS``, so a too-big body is refused from its Content-Length
    before a byte is stored, and a body that lies about its length is cut off when the limit is
    passed. The request is marked (``request.upload_refused``) so the view can say why the file
    is missing; the connection is reset rather than read to the end.
    """

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.limit = max_upload_bytes()
        self.received = 0
        self.too_big = False
        self.content_length: int | None = None

    def _refuse(self, size: int | None) -> None:
        if self.request is not None:
            self.request.upload_refused = upload_too_big_message(size)
            self.request.upload_refused_name = getattr(self, "file_name", None)
        raise StopUpload(connection_reset=True)

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803
        # Too big by its own account: refused at the first file (the form fields before it, the
        # CSRF token among them, are still read). Raising here would escape Django's parser.
        self.too_big = bool(content_length and content_length > self.limit + (1 << 20))
        self.content_length = content_length
        return None

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if self.too_big:
            self._refuse(self.content_length)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse(None)
        return raw_data

    def file_complete(self, file_size: int):
        return None


INTERRUPTED = ("the upload was interrupted before the whole file arrived, so nothing was stored; "
               "try again")


def check_upload_body(request) -> tuple[int, str] | None:
    """Read the request body now; (status, one-line reason) when it was cut off or too big.

    An interrupted upload leaves no temporary file: the file the upload handlers were writing is
    closed, which deletes it (Django's temporary upload files delete themselves on close).
    """
    try:
        request.POST, request.FILES  # noqa: B018 - parsing the body is the point
    except (UnreadablePostError, MultiPartParserError, OSError):
        _close_upload_files(request)
        return 400, INTERRUPTED
    if getattr(request, "upload_refused", None):
        _close_upload_files(request)
        return 413, request.upload_refused
    if getattr(request, "_post_parse_error", False):  # the CSRF check already met the broken body
        _close_upload_files(request)
        return 400, INTERRUPTED
    return None


def _close_upload_files(request) -> None:
    for handler in getattr(request, "_upload_handlers", None) or []:
        f = getattr(handler, "file", None)
        if f is not None:
            with contextlib.suppress(Exception):
                f.close()


def csrf_rejection(request):
    """The CSRF check, run by a view that first had to read a possibly broken body (it is
    ``csrf_exempt`` so that an interrupted upload can still be logged)."""
    return CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
