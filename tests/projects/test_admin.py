"""Every projects model is in the admin with search, filters and a CSV export."""

import pytest
from django.apps import apps
from django.contrib import admin

from tests.factories import StaffFactory

from .factories import FeedbackFactory, PilotFactory

pytestmark = pytest.mark.django_db

MODELS = [model for model in apps.get_app_config("projects").get_models()]


def test_every_model_is_registered_with_search_filters_and_csv():
    for model in MODELS:
        model_admin = admin.site._registry.get(model)
        assert model_admin is not None, model
        assert model_admin.search_fields, model
        assert model_admin.list_filter, model
        assert any(getattr(action, "__name__", "") == "export_csv"
                   for action in model_admin.actions), model


@pytest.mark.parametrize("model", MODELS, ids=[m._meta.model_name for m in MODELS])
def test_changelist_search_and_add_pages_load(client, world, model):
    client.force_login(StaffFactory(is_superuser=True))
    base = f"/admin/projects/{model._meta.model_name}/"
    assert client.get(base).status_code == 200
    assert client.get(base, {"q": "open"}).status_code == 200
    if model._meta.model_name != "feedback":
        assert client.get(base + "add/").status_code == 200


def test_csv_export_neutralises_formulas(client, world):
    client.force_login(StaffFactory(is_superuser=True))
    pilot = PilotFactory(title="=HYPERLINK(\"http://evil\")")
    FeedbackFactory(pilot=pilot, body="=cmd|' /C calc'!A0")
    response = client.post("/admin/projects/feedback/", {
        "action": "export_csv", "_selected_action": list(
            pilot.feedback.values_list("pk", flat=True))})
    body = b"".join(response.streaming_content).decode()
    assert "'=cmd" in body
