"""Personal data rights, built from the registry: download my data (export), erase my account,
and the retention periods. Tasks call these with ids; web views and the admin call the same."""

import csv
import io
import json
import logging
import re
import tempfile
import uuid
import zipfile
from collections import defaultdict
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ecosystem.audit import audit
from ecosystem.errors import Conflict, InvalidInput
from ecosystem.notifications.outbox import outbox_enqueue
from ecosystem.search import index as search_index

from . import registry
from .contrib import EXPORT_READY_KIND
from .models import DataExport, Erasure
from .registry import ANONYMISE, DELETE, KEEP, PersonalData

logger = logging.getLogger(__name__)

BUILD_EXPORT_TASK = "privacy.export_build"
ERASE_ACCOUNT_TASK = "privacy.erasure_run"
ERASED = "[erased]"
CHUNK = 2000


def export_expiry() -> timedelta:
    return timedelta(days=getattr(settings, "DATA_EXPORT_EXPIRY_DAYS", 7))


# --- download my data ----------------------------------------------------------------------

@transaction.atomic
def export_request(*, user, actor) -> DataExport:
    """Queue a new export of ``user``'s data. ``actor`` is the person or, for a data subject
    request, the staff member (then only they may download it, and it is audited)."""
    running = DataExport.objects.filter(
        user=user, status__in=[DataExport.Status.PENDING, DataExport.Status.RUNNING]).first()
    if running is not None:
        return running
    staff_request = actor is not None and actor.pk != user.pk
    export = DataExport.objects.create(user=user, requested_by=actor if staff_request else None)
    audit(actor=actor, action="privacy.export.requested", target=export,
          changes={"on_behalf": staff_request})
    outbox_enqueue(task=BUILD_EXPORT_TASK, payload={"export_id": export.pk})
    return export


def _is_tabular(entry: PersonalData) -> bool:
    for column in entry.columns():
        if "__" in column:
            continue
        try:
            model_field = entry.model._meta.get_field(column)
        except Exception:  # noqa: BLE001 - attname of a relation ("user_id")
            continue
        if isinstance(model_field, models.JSONField):
            return False
    return True


def _rows(entry: PersonalData, user):
    return entry.rows_of(user).values(*entry.columns()).iterator(chunk_size=CHUNK)


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return value


def _write_app(archive: zipfile.ZipFile, name: str, entries, user, tables: dict) -> int:
    """Write ``<app>.json`` from one pass over each entry's rows; the rows of tabular entries
    go at the same time to a CSV in a temporary file (``tables``: label -> file), added to the
    archive afterwards, so every row is read from the database once."""
    count = 0
    with archive.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as out:
        out.write("{")
        for index, entry in enumerate(entries):
            columns = entry.columns()
            writer = None
            if entry.label in tables:
                writer = csv.writer(tables[entry.label])
                writer.writerow(columns)
            out.write(("," if index else "") + f"\n  {json.dumps(entry.label)}: [")
            for number, row in enumerate(_rows(entry, user)):
                out.write(("," if number else "") + "\n    ")
                out.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False))
                if writer is not None:
                    writer.writerow([_csv_value(row[column]) for column in columns])
                count += 1
            out.write("\n  ]")
        out.write("\n}\n")
    return count


def _readme(user, files: list[tuple[str, str]]) -> str:
    lines = [
        _("Your data from %(site)s") % {"site": settings.SITE_NAME},
        _("Prepared on %(date)s for %(email)s.") % {
            "date": timezone.localtime().strftime("%Y-%m-%d %H:%M"), "email": user.email},
        "",
        _("Each <app>.json file holds, per kind of record, a list of your rows; the same rows "
          "are in <app>/<record>.csv where they are a plain table. Columns ending in _id are "
          "numbers of other records; dates are in ISO 8601 (UTC)."),
        _("What the portal stores, why and for how long: %(url)s") % {
            "url": f"{settings.SITE_URL}/privacy/"},
        "",
    ]
    for name, text in files:
        lines += [name, "    " + text, ""]
    return "\n".join(lines)


def write_archive(archive: zipfile.ZipFile, user, *, on_progress=None) -> dict[str, int]:
    """Write every exported registry entry of ``user`` into ``archive``; returns the number
    of rows per app label."""
    entries = [entry for entry in registry.personal_data() if entry.exported]
    by_app: dict[str, list[PersonalData]] = defaultdict(list)
    for entry in entries:
        by_app[entry.model._meta.app_label].append(entry)
    counts, files, done = {}, [], 0
    for app_label, app_entries in sorted(by_app.items()):
        app_name = str(apps.get_app_config(app_label).verbose_name)
        tables = {entry.label: tempfile.SpooledTemporaryFile(max_size=1024 * 1024, mode="w+",
                                                      encoding="utf-8", newline="")
                  for entry in app_entries if _is_tabular(entry)}
        try:
            counts[app_label] = _write_app(archive, f"{app_label}.json", app_entries, user,
                                           tables)
            files.append((f"{app_label}.json", _("%(app)s: %(records)s.") % {
                "app": app_name, "records": "; ".join(
                    str(e.model._meta.verbose_name_plural) for e in app_entries)}))
            for entry in app_entries:
                meta = entry.model._meta
                if entry.label in tables:
                    name = f"{app_label}/{meta.model_name}.csv"
                    table = tables[entry.label]
                    table.seek(0)
                    with archive.open(name, "w") as raw, io.TextIOWrapper(
                            raw, encoding="utf-8", newline="") as out:
                        while chunk := table.read(64 * 1024):
                            out.write(chunk)
                    files.append((name, f"{str(meta.verbose_name_plural).capitalize()}: "
                                        f"{entry.purpose} ({', '.join(entry.columns())})"))
                done += 1
                if on_progress:
                    on_progress(int(done * 100 / max(len(entries), 1)))
        finally:
            for table in tables.values():
                table.close()
    archive.writestr("README.txt", _readme(user, files))
    return counts


def export_build(*, export_id: int) -> DataExport | None:
    """Build the ZIP of one export (safe to run twice: a finished export is left alone)."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status == DataExport.Status.READY:
        return export
    DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.RUNNING, progress=0)
    user = export.user

    def progress(percent):
        DataExport.objects.filter(pk=export.pk).update(progress=min(percent, 99))

    try:
        with tempfile.TemporaryFile() as tmp:
            with translation.override(user.language or settings.LANGUAGE_CODE), \
                    zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
                write_archive(archive, user, on_progress=progress)
            size = tmp.tell()
            tmp.seek(0)
            name = export.file.storage.save(
                f"exports/{user.pk}/{uuid.uuid4().hex}.zip", File(tmp))
    except Exception as exc:
        DataExport.objects.filter(pk=export.pk).update(
            status=DataExport.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now())
        raise
    now = timezone.now()
    with transaction.atomic():
        export = DataExport.objects.select_for_update().get(pk=export.pk)
        export.file, export.size = name, size
        export.status, export.progress = DataExport.Status.READY, 100
        export.finished_at, export.expires_at = now, now + export_expiry()
        export.save(update_fields=["file", "size", "status", "progress", "finished_at",
                                   "expires_at"])
        if export.requested_by_id is None:
            from ecosystem.notifications.services import notify

            notify(kind=EXPORT_READY_KIND, target=export, recipients=[user],
                   context={"url": export.download_url(),
                            "expires_at": export.expires_at.isoformat()},
                   dedupe_key=f"privacy.export:{export.pk}")
    return export


# --- erase my account ----------------------------------------------------------------------

def erase_blockers(*, user) -> list[tuple[str, str]]:
    """What the person must do first, as (message, url) pairs, from every app's blockers."""
    found = []
    for blocker in registry.blockers():
        found.extend(blocker(user))
    return found


def _needles(user) -> list[str]:
    from allauth.account.models import EmailAddress

    needles = {user.email.lower()}
    needles.update(e.lower() for e in EmailAddress.objects.filter(user=user)
                   .values_list("email", flat=True))
    name = " ".join(user.full_name.split())
    # A single word ("Marko") would also replace other people's names: full names only.
    if len(name.split()) >= 2 and len(name) >= 6:
        needles.add(name)
    return sorted(needles)


@transaction.atomic
def account_erase_request(*, user, password: str) -> Erasure:
    """The person asks to erase their account, confirming with their password. They cannot
    sign in from now on; the erasure job (outbox) removes or anonymises the rest."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise Conflict(_("This account is already being erased."))
    if not password or not user.check_password(password):
        raise InvalidInput(_("The password is not correct."),
                           fields={"password": [_("The password is not correct.")]})
    blockers = erase_blockers(user=user)
    if blockers:
        raise Conflict(" ".join(message for message, _url in blockers))
    erasure = Erasure.objects.create(user=user, needles=_needles(user))
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["is_active", "password"])
    audit(actor=None, action="privacy.account.erasure_requested", target=erasure)
    outbox_enqueue(task=ERASE_ACCOUNT_TASK, payload={"erasure_id": erasure.pk})
    return erasure


def _replace(value, patterns):
    if isinstance(value, str):
        for pattern in patterns:
            value = pattern.sub(ERASED, value)
        return value
    if isinstance(value, list):
        return [_replace(item, patterns) for item in value]
    if isinstance(value, dict):
        return {_replace(k, patterns): _replace(v, patterns) for k, v in value.items()}
    return value


def _scrub(entry: PersonalData, needles: list[str]) -> int:
    """Replace the person's name and e-mail in the entry's free texts (anyone's rows)."""
    if not needles or not entry.scrub:
        return 0
    patterns = [re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)", re.IGNORECASE)
                for needle in needles]
    manager = entry.model._default_manager
    changed = 0
    for name in entry.scrub:
        model_field = entry.model._meta.get_field(name)
        query = models.Q()
        queryset = manager.all()
        if isinstance(model_field, models.JSONField):
            queryset = queryset.annotate(_scrub_text=Cast(name, models.TextField()))
            for needle in needles:
                escaped = json.dumps(needle)[1:-1]
                query |= models.Q(_scrub_text__icontains=needle)
                query |= models.Q(_scrub_text__icontains=escaped)
        else:
            for needle in needles:
                query |= models.Q(**{f"{name}__icontains": needle})
        scrubbed = []
        for pk, value in queryset.filter(query).values_list("pk", name).iterator(CHUNK):
            new = _replace(value, patterns)
            if new != value:
                manager.filter(pk=pk).update(**{name: new})
                scrubbed.append(pk)
        changed += len(scrubbed)
        search_index.refresh_rows(entry.model, scrubbed)  # the index must not keep the name
    return changed


def _erase_entry(entry: PersonalData, user) -> int:
    if callable(entry.erase):
        return entry.erase(user) or 0
    if entry.erase == DELETE:
        pks = list(entry.rows_of(user).values_list("pk", flat=True))
        deleted, _per_model = entry.rows_of(user).delete()
        search_index.refresh_rows(entry.model, pks)  # their documents go with them
        return deleted
    if entry.erase == ANONYMISE:
        pks = list(entry.rows_of(user).values_list("pk", flat=True))
        done = entry.rows_of(user).update(**entry.anonymise)
        search_index.refresh_rows(entry.model, pks)
        return done
    if entry.erase == KEEP:
        return 0
    raise ValueError(f"Unknown erase mode {entry.erase!r} for {entry.label}")


def erasure_run(*, erasure_id: int) -> Erasure | None:
    """Delete or anonymise everything about the person, app by app, from the registry.
    Idempotent: a finished erasure is left alone; an interrupted one runs again whole."""
    with transaction.atomic():
        erasure = Erasure.objects.select_for_update().filter(pk=erasure_id).first()
        if erasure is None or erasure.status == Erasure.Status.DONE or erasure.user_id is None:
            return erasure
        User = get_user_model()
        user = User.objects.get(pk=erasure.user_id)
        entries = registry.personal_data()
        counts = {}
        account = [entry for entry in entries if entry.model is User]
        for entry in [e for e in entries if e.model is not User] + account:
            if entry.model is User:
                for other in entries:
                    counts[other.label] = counts.get(other.label, 0) + _scrub(
                        other, erasure.needles)
            counts[entry.label] = counts.get(entry.label, 0) + _erase_entry(entry, user)
        erasure.status, erasure.finished_at = Erasure.Status.DONE, timezone.now()
        erasure.needles, erasure.counts = [], {k: v for k, v in counts.items() if v}
        erasure.save(update_fields=["status", "finished_at", "needles", "counts"])
        audit(actor=None, action="privacy.account.erased", target=erasure,
              changes={"rows": erasure.counts})
    logger.info("Erasure %s done: %s", erasure.pk, erasure.counts)
    return erasure


# --- retention -----------------------------------------------------------------------------

def retention_apply(*, now=None, batch_size: int = 1000) -> dict[str, int]:
    """Apply every registered retention rule in batches; returns (and logs) rows per rule."""
    now = now or timezone.now()
    report = {}
    for rule in registry.retention_rules():
        cutoff = now - timedelta(days=rule.days())
        total = 0
        while True:
            expired = rule.expired(cutoff)
            model = expired.model
            ids = list(expired.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not ids:
                break
            with transaction.atomic():
                batch = model._default_manager.filter(pk__in=ids)
                if rule.apply is not None:
                    done = rule.apply(batch)
                else:
                    _total, per_model = batch.delete()
                    done = per_model.get(model._meta.label, 0)
                search_index.refresh_rows(model, ids)
            total += done
            if done == 0 or len(ids) < batch_size:
                break
        report[rule.key] = total
    logger.info("Retention applied: %s", report)
    return report
