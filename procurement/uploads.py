"""What an uploaded document really is, decided by its content, never by its name.

Accepted: PDF (``%PDF-`` header), ODT (ZIP whose ``mimetype`` entry says so), DOCX and XLSX
(ZIP whose ``[Content_Types].xml`` declares the main document part).
"""

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from ecosystem.errors import InvalidInput

PDF = "application/pdf"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: "pdf", ODT: "odt", DOCX: "docx", XLSX: "xlsx"}
_OOXML_MAIN = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
_MAX_MANIFEST = 256 * 1024


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extension: str
    size: int
    sha256: str


def _zip_type(upload) -> str | None:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 200 and archive.read(info).strip() == ODT.encode():
                    return ODT
            if "[Content_Types].xml" in names:
                info = archive.getinfo("[Content_Types].xml")
                if info.file_size > _MAX_MANIFEST:
                    return None
                manifest = archive.read(info)
                for marker, content_type in _OOXML_MAIN.items():
                    if marker in manifest:
                        return content_type
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError, EOFError):
        return None
    return None


def sniff(upload) -> Sniffed:
    """Check size and content of ``upload`` (a Django UploadedFile or file object)."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size == 0:
        raise InvalidInput(_("The file is empty."), fields={"file": [_("The file is empty.")]})
    if size > settings.MAX_UPLOAD_SIZE:
        message = _("The file is larger than %(limit)s MB.") % {
            "limit": settings.MAX_UPLOAD_SIZE // (1024 * 1024)
        }
        raise InvalidInput(message, code="too_large", fields={"file": [message]})
    upload.seek(0)
    head = upload.read(8)
    content_type = None
    if head.startswith(b"%PDF-"):
        content_type = PDF
    elif head.startswith(b"PK\x03\x04"):
        content_type = _zip_type(upload)
    if content_type is None:
        message = _("Only PDF, ODT, DOCX and XLSX documents are accepted (checked by content).")
        raise InvalidInput(message, code="file_type", fields={"file": [message]})
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(64 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return Sniffed(content_type, EXTENSIONS[content_type], size, digest.hexdigest())
