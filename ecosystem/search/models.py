"""The search index (one table for every kind; the full-text part lives beside it, per
database: a ``tsvector`` column on PostgreSQL, an FTS5 table on SQLite, see ``backends``)
and the saved searches people are alerted about."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ecosystem.models import Theme


class SearchDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=40)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=500)
    themes = models.ManyToManyField(Theme, blank=True, related_name="+")
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    helix = models.CharField(_("helix"), max_length=10, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    # When the row became public (NULL: not yet); saved searches alert only for newer rows.
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    # Visible to anonymous visitors (the kind's ``visible_to(AnonymousUser)``), set whenever
    # the row is indexed: searches filter on it instead of re-checking every public row.
    public = models.BooleanField(_("public"), default=False)
    indexed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once"),
        ]
        # An exact title ranks first even when a common word matches more than a search reads.
        # A facet filter reads its own bounded matches: with an index on the facet, the
        # database intersects it with the full-text index (``country=HR`` with a common word
        # read 7,200 rows to find 1,000 in 72 ms; with the index 1,100 in 6 ms).
        indexes = [models.Index(Upper("title"), name="search_document_title_upper"),
                   models.Index(fields=["country"], name="search_document_country"),
                   models.Index(fields=["city"], name="search_document_city"),
                   models.Index(fields=["helix"], name="search_document_helix"),
                   models.Index(fields=["date"], name="search_document_date")]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title}"


class SavedSearch(models.Model):
    """A global search (``path`` = /search/) or a list with its filters, and how often to be
    told about new matches. Only rows published after ``created_at`` ever alert."""

    class Frequency(models.TextChoices):
        INSTANT = "instant", _("Instantly")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="saved_searches")
    name = models.CharField(_("name"), max_length=120)
    path = models.CharField(_("page"), max_length=200)
    query_string = models.CharField(_("filters"), max_length=1000, blank=True)
    frequency = models.CharField(_("how often"), max_length=8, choices=Frequency.choices,
                                 default=Frequency.DAILY)
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    last_run_at = models.DateTimeField(_("last checked"), null=True, blank=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "path", "query_string"],
                                    name="saved_search_once_per_owner"),
            models.CheckConstraint(condition=models.Q(frequency__in=["instant", "daily", "weekly"]),
                                   name="saved_search_frequency"),
        ]
        indexes = [models.Index(fields=["frequency", "last_run_at"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{self.path}?{self.query_string}" if self.query_string else self.path
