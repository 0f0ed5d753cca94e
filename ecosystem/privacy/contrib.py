"""Registry entries for the platform's own models and the Django/third-party apps it installs
(auth, admin, sessions, allauth, tokens, beat): no feature app owns them."""

from allauth.account.models import EmailAddress, EmailConfirmation
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.contrib.sites.models import Site
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import PeriodicTask
from rest_framework.authtoken.models import Token, TokenProxy

from ecosystem.models import AuditEntry, Theme

from . import registry
from .models import DataExport, Erasure
from .registry import KEEP, PersonalData, RetentionRule

ERASED_DOMAIN = "erased.invalid"
EXPORT_READY_KIND = "privacy.export_ready"

AUDIT_REASON = _(
    "The audit trail is evidence of who did what (accountability of a public body, "
    "GDPR Art. 5(2) and 17(3)(b)); after erasure its entries name an anonymous account.")


def _anonymise_account(user) -> int:
    """The account row stays (kept records point to it) but names nobody and cannot sign in;
    its e-mail address is free to register again."""
    User = get_user_model()
    return User.objects.filter(pk=user.pk).update(
        email=f"erased-{user.pk}@{ERASED_DOMAIN}", full_name="", job_title="",
        password="!", is_active=False, is_staff=False, is_superuser=False, last_login=None)


def _expired_exports(cutoff):
    return DataExport.objects.filter(
        Q(expires_at__lt=cutoff) | Q(status=DataExport.Status.FAILED, created_at__lt=cutoff))


def _delete_exports(queryset) -> int:
    count = 0
    for export in queryset:
        if export.file:
            export.file.delete(save=False)
        export.delete()
        count += 1
    return count


def _unconfirmed_signups(cutoff):
    return get_user_model().objects.filter(
        date_joined__lt=cutoff, last_login__isnull=True, is_staff=False,
        emailaddress__verified=False,
    ).exclude(emailaddress__verified=True).distinct()


def register():
    User = get_user_model()
    registry.register(PersonalData(
        model=User, fields=("email", "full_name", "job_title", "language", "last_login",
                            "date_joined"),
        person=("pk",),
        export_fields=("id", "email", "full_name", "job_title", "language", "date_joined",
                       "last_login", "is_staff"),
        purpose=_("Your account: the e-mail address you sign in with, your name and job title "
                  "as you entered them, your language."),
        seen_by=_("You and portal staff; your name also to colleagues in your organisations "
                  "and, if you choose so, on their public profiles."),
        erase=_anonymise_account,
        kept=_("An anonymous account row without name, e-mail or password remains, so that "
               "records the law requires to keep (applications, awards, the audit trail) stay "
               "consistent without naming you."),
        retention=_("Until you erase your account; unconfirmed sign-ups are deleted after "
                    "the unconfirmed sign-up period."),
    ))
    registry.register(PersonalData(
        model=EmailAddress, fields=("user", "email"),
        purpose=_("Your e-mail addresses and whether you confirmed them."),
        seen_by=_("You and portal staff."),
        retention=_("Until you erase your account."),
    ))
    registry.register(PersonalData(
        model=EmailConfirmation, fields=("email_address",), person=("email_address__user",),
        export_fields=("id", "email_address__email", "created", "sent"),
        purpose=_("Links sent to confirm an e-mail address."),
        seen_by=_("Portal staff."),
    ))
    registry.register(PersonalData(
        model=Token, fields=("user",), export_fields=("created",),
        purpose=_("Your API key, if you created one (its value is not exported)."),
        seen_by=_("Nobody but you."),
    ))
    registry.register(PersonalData(
        model=TokenProxy, fields=("user",), exported=False,
        purpose=_("Your API key (the admin's view of the same row)."), seen_by=_("Nobody."),
    ))
    registry.register(PersonalData(
        model=Session, fields=("session_data",), rows=lambda user: Session.objects.none(),
        exported=False, erase=KEEP,
        purpose=_("Keeps you signed in. Holds an opaque identifier of your account."),
        seen_by=_("Nobody."),
        kept=_("Sessions of an erased account no longer work and are deleted when they "
               "expire."),
        retention=_("Deleted when they expire (two weeks without use at most)."),
    ))
    registry.register(PersonalData(
        model=LogEntry, fields=("user", "object_repr", "change_message"), erase=KEEP,
        scrub=("object_repr", "change_message"),
        purpose=_("What staff changed in the admin."), seen_by=_("Portal staff."),
        kept=AUDIT_REASON, kept_for=_("As long as the records it describes."),
    ))
    registry.register(PersonalData(
        model=AuditEntry, fields=("actor", "target_repr", "changes"), erase=KEEP,
        scrub=("target_repr", "changes"),
        export_fields=("id", "action", "target_repr", "created_at"),
        purpose=_("What you did on the portal that others rely on (publishing, submitting, "
                  "deciding)."),
        seen_by=_("Portal staff."),
        kept=AUDIT_REASON, kept_for=_("Kept without your name for as long as the portal runs."),
    ))
    registry.register(PersonalData(
        model=DataExport, fields=("user", "requested_by"), person=("user",),
        export_fields=("id", "status", "created_at", "finished_at", "expires_at"),
        purpose=_("The copies of your data you asked for."), seen_by=_("You."),
        retention=_("The file is deleted when its link expires."),
    ))
    registry.register(PersonalData(
        model=Erasure, fields=("user", "needles"), exported=False, erase=KEEP,
        purpose=_("Proof that an account was erased, while the erasure runs also the name and "
                  "e-mail address it searches for."),
        seen_by=_("Portal staff."),
        kept=_("The record that the erasure was carried out (GDPR Art. 5(2)); the texts "
               "searched for are emptied when it is done."),
        kept_for=_("As long as the portal runs."),
    ))
    registry.register_not_personal(
        [Theme, Permission, Group, Site, PeriodicTask],
        _("Names of themes, permissions, groups, sites and scheduled jobs, not of people."))

    registry.register_retention(RetentionRule(
        key="sessions", label=_("Expired sessions"), default_days=0,
        expired=lambda cutoff: Session.objects.filter(expire_date__lt=cutoff),
        description=_("Sign-in sessions, deleted once expired."),
    ))
    registry.register_retention(RetentionRule(
        key="unconfirmed_signups", label=_("Unconfirmed sign-ups"), default_days=7,
        expired=_unconfirmed_signups,
        description=_("Accounts whose e-mail address was never confirmed."),
    ))
    registry.register_retention(RetentionRule(
        key="exports", label=_("Expired data exports"), default_days=0,
        expired=_expired_exports, apply=_delete_exports,
        description=_("Files of \"download my data\", deleted when their link expires."),
    ))


def register_notification_kinds():
    from ecosystem.notifications.registry import Frequency, NotificationKind
    from ecosystem.notifications.registry import register as register_kind

    register_kind(NotificationKind(
        key=EXPORT_READY_KIND, label=_("Your data export is ready"),
        default_frequency=Frequency.INSTANT, template="privacy/notifications/export_ready",
        user_configurable=False,
    ))
