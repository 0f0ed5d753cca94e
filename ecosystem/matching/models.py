"""Stored recommendations (computed by Celery jobs, read by pages in constant queries) and
the "not interested" answers that hide an item for one organisation, or for one person who
acts for none (a citizen: ``PersonRecommendation``, ``PersonNotInterested``)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StoredItem(models.Model):
    """What a stored recommendation holds, whoever it is for.

    ``reasons`` holds reason codes and their data (``[{"code": "themes", "params": {...}}]``),
    rendered in the reader's language when read; never sentences.
    """

    kind = models.CharField(_("kind"), max_length=20)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+",
                                    db_index=False)
    target_id = models.PositiveBigIntegerField()
    owner_id = models.PositiveBigIntegerField(
        default=0, help_text="The buyer or organiser: at most a few of each are shown."
    )
    score = models.FloatField(_("score"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        abstract = True


class Recommendation(StoredItem):
    """One item recommended to one organisation, with the reasons that scored it."""

    # No index of their own: the organisation leads the unique constraint below, and content
    # types are not deleted.
    organisation = models.ForeignKey(
        "stakeholders.Organisation", on_delete=models.CASCADE, related_name="+", db_index=False
    )

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
        # Reads go through ``recommendation_once`` (an organisation has at most TOP_N rows
        # of a kind: sorting them is nothing); no index of its own for reading, as the
        # nightly refresh rewrites every row and each index costs.
        indexes = [
            models.Index(fields=["kind", "target_id"], name="recommendation_target"),
        ]

    def __str__(self):
        return f"{self.kind} {self.target_id} → organisation {self.organisation_id}"


class PersonRecommendation(StoredItem):
    """One item recommended to a person who acts for no organisation (the kinds registered
    ``for_people``: upcoming events), from what they registered for and follow."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+", db_index=False)

    class Meta:
        verbose_name = _("personal recommendation")
        verbose_name_plural = _("personal recommendations")
        ordering = ["person", "kind", "-score", "target_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "target_id"], name="person_recommendation_once"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0) & models.Q(score__lte=1),
                name="person_recommendation_score_range",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.target_id} → person {self.person_id}"


class Dismissal(models.Model):
    """What a "not interested" answer holds: the item, and its owners and themes (items
    like it count less from then on)."""

    kind = models.CharField(_("kind"), max_length=20)
    target_id = models.PositiveBigIntegerField()
    owner_ids = models.JSONField(default=list, blank=True)
    theme_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        abstract = True


class NotInterested(Dismissal):
    """An organisation said "not interested": the item is hidden for it (only), and items of
    the same buyer or organiser, or sharing its themes, count less."""

    organisation = models.ForeignKey(
        "stakeholders.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

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


class PersonNotInterested(Dismissal):
    """A person who acts for no organisation said "not interested" (hidden for them only)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="+")

    class Meta:
        verbose_name = _("personal “not interested” answer")
        verbose_name_plural = _("personal “not interested” answers")
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "target_id"], name="person_not_interested_once"
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.target_id} × person {self.person_id}"


class StoredProfile(models.Model):
    """What the engine knows of one organisation, as the publish-time fan-out needs it:
    written by every refresh (nightly, or when the profile changes), so scoring one new call
    against 100,000 organisations reads one row each instead of rebuilding every profile.

    ``vectors`` holds, per candidate kind, the organisation's unit text vector against that
    kind's text index at the last refresh ({"call": {"sensor": 0.41, ...}}); ``cpv_keys`` the
    prefixes of its CPV codes that count ("2:48", "3:482", ..., see ``store.cpv_keys``).
    """

    organisation = models.OneToOneField(
        "stakeholders.Organisation", on_delete=models.CASCADE, primary_key=True,
        related_name="+",
    )
    theme_ids = models.JSONField(default=list, blank=True)
    vectors = models.JSONField(default=dict, blank=True)
    cpv = models.JSONField(default=list, blank=True)
    cpv_keys = models.JSONField(default=list, blank=True)
    engaged_owners = models.JSONField(default=list, blank=True)
    helix = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=30, blank=True)
    size = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True)
    nuts = models.CharField(max_length=10, blank=True)
    city_id = models.BigIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stored matching profile")
        verbose_name_plural = _("stored matching profiles")

    def __str__(self):
        return f"profile of organisation {self.organisation_id}"
