"""Stored recommendations (computed by Celery jobs, read by pages in constant queries) and
the "not interested" answers that hide an item for one organisation."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Recommendation(models.Model):
    """One item recommended to one organisation, with the reasons that scored it.

    ``reasons`` holds reason codes and their data (``[{"code": "themes", "params": {...}}]``),
    rendered in the reader's language when read; never sentences.
    """

    organisation = models.ForeignKey(
        "stakeholders.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    owner_id = models.PositiveBigIntegerField(
        default=0, help_text="The buyer or organiser: at most a few of each are shown."
    )
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["organisation", "kind", "-score", "target_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "target_id"], name="recommendation_once"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0) & models.Q(score__lte=1),
                name="recommendation_score_range",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "kind", "-score"], name="recommendation_read"),
            models.Index(fields=["kind", "target_id"], name="recommendation_target"),
        ]

    def __str__(self):
        return f"{self.kind} {self.target_id} → organisation {self.organisation_id}"


class NotInterested(models.Model):
    """An organisation said "not interested": the item is hidden for it (only), and items of
    the same buyer or organiser, or sharing its themes, count less."""

    organisation = models.ForeignKey(
        "stakeholders.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20)
    target_id = models.PositiveBigIntegerField()
    owner_ids = models.JSONField(default=list, blank=True)
    theme_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("“not interested” answer")
        verbose_name_plural = _("“not interested” answers")
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "target_id"], name="not_interested_once"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.target_id} × organisation {self.organisation_id}"
