"""Every model with a field that looks personal is in the personal-data registry.

The rule (``ecosystem.privacy.registry.looks_personal``): a relation to the user model, an
EmailField or GenericIPAddressField, or a field whose name has one of the words of
``PERSONAL_WORDS`` (email, phone, name, address, ip, ...) between its underscores. A model
with such a field must be registered as ``PersonalData`` (and list every relation to the user
model among its personal fields) or as ``NotPersonal`` with a reason."""

from django.apps import apps
from django.conf import settings
from django.db import models

from ecosystem.privacy import registry
from ecosystem.privacy.registry import NotPersonal, PersonalData, looks_personal


def _user_relations(model):
    return {f.name for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is not None
            and f.related_model._meta.label == settings.AUTH_USER_MODEL}


def test_every_model_with_a_personal_looking_field_is_registered():
    missing = []
    for model in apps.get_models():
        flagged = [f.name for f in model._meta.concrete_fields if looks_personal(f)]
        if flagged and registry.entry_for(model) is None:
            missing.append(f"{model._meta.label} ({', '.join(flagged)})")
    assert missing == [], "Register these in the owning app's AppConfig.ready(): " + ", ".join(
        missing)


def test_personal_entries_name_every_relation_to_a_person():
    for entry in registry.personal_data():
        absent = _user_relations(entry.model) - set(entry.fields)
        assert not absent, f"{entry.label}: list {sorted(absent)} in fields"
        assert str(entry.purpose) and str(entry.seen_by), entry.label
        if entry.erase == registry.KEEP:
            assert str(entry.kept), f"{entry.label} is kept: say why (kept=...)"


def test_not_personal_entries_give_a_reason():
    for entry in registry.not_personal():
        assert isinstance(entry, NotPersonal) and len(str(entry.reason)) > 10, entry.label


def _field(field, name):
    field.set_attributes_from_name(name)
    return field


def test_the_rule_flags_what_it_says():
    flagged = {
        name for name, field in [
            ("contact_email", models.CharField(max_length=10)),
            ("ip", models.CharField(max_length=10)),
            ("street_address", models.CharField(max_length=10)),
            ("mailing", models.EmailField()),
            ("title", models.CharField(max_length=10)),
            ("named", models.CharField(max_length=10)),
        ] if looks_personal(_field(field, name))
    }
    assert flagged == {"contact_email", "ip", "street_address", "mailing"}
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    assert looks_personal(user_model._meta.get_field("groups").remote_field.model._meta
                          .get_field("name"))
    relation_to_person = next(f for f in apps.get_model("events", "Registration")._meta.fields
                              if f.name == "user")
    assert looks_personal(relation_to_person)
    relation_to_event = apps.get_model("events", "Registration")._meta.get_field("event")
    assert not looks_personal(relation_to_event)


def test_export_columns_exist():
    for entry in registry.personal_data():
        if isinstance(entry, PersonalData) and entry.exported:
            entry.model._default_manager.values(*entry.columns()).query.sql_with_params()
