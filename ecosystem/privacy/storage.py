import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="ecosystem.privacy.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Data exports: under PRIVATE_MEDIA_ROOT (read at each use, so tests may change it), never
    under MEDIA_URL; served only by the permission-checked download view."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


private_storage = PrivateStorage()
