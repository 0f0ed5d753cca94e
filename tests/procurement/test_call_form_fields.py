"""CPV codes, helices, countries and NUTS as people type them, in the admin and on the buyer
desk (one set of fields serves both); publish errors as sentences."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ecosystem.errors import InvalidInput
from procurement import services
from procurement.forms import CallForm
from procurement.models import Call, Criterion
from tests.factories import CityFactory

from .factories import CallFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(portal_staff):
    portal_staff.is_superuser = True
    portal_staff.save()
    client = Client()
    client.force_login(portal_staff)
    return client


def _post_call(client, buyer, **overrides):
    deadline = timezone.now() + timedelta(days=40)
    data = {
        "buyer": buyer.pk, "title_en": "Smart street lighting",
        "challenge_en": "Dim lights at night.",
        "procedure": "pre_commercial", "cpv_codes": "34993000-4", "nuts_region": "hr031",
        "estimated_value": "90000", "currency": "EUR", "standstill_days": 10,
        "clarification_deadline": (deadline - timedelta(days=5)).strftime("%Y-%m-%dT12:00"),
        "submission_deadline": deadline.strftime("%Y-%m-%dT12:00"),
        **{f"{prefix}-{key}": value
           for prefix in ("criteria", "lots", "amendments",
                          "ecosystem-auditentry-target_type-target_id")
           for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))},
    }
    data.update(overrides)
    return client.post("/admin/procurement/call/add/", data)


def test_admin_accepts_a_plain_cpv_code(staff_client, buyer):
    response = _post_call(staff_client, buyer)
    assert response.status_code == 302, response.content.decode()[:2000]
    call = Call.objects.get(title="Smart street lighting")
    assert call.cpv_codes == ["34993000-4"]
    assert call.nuts_region == "HR031"


def test_admin_accepts_a_list_of_codes_helices_and_countries(staff_client, buyer):
    response = _post_call(staff_client, buyer, cpv_codes="34993000-4, 73100000-3\n48000000-8",
                          allowed_helices=["industry", "academia"],
                          allowed_countries=["HR", "IT"])
    assert response.status_code == 302, response.content.decode()[:2000]
    call = Call.objects.get(title="Smart street lighting")
    assert call.cpv_codes == ["34993000-4", "73100000-3", "48000000-8"]
    assert call.allowed_helices == ["industry", "academia"]
    assert call.allowed_countries == ["HR", "IT"]


def test_admin_completes_a_known_code_typed_without_its_check_digit(staff_client, buyer):
    assert _post_call(staff_client, buyer, cpv_codes="34993000").status_code == 302
    assert Call.objects.get(title="Smart street lighting").cpv_codes == ["34993000-4"]


def test_admin_refuses_a_wrong_check_digit_with_a_clear_message(staff_client, buyer):
    response = _post_call(staff_client, buyer, cpv_codes="34993000-5")
    assert response.status_code == 200
    html = response.content.decode()
    assert "The check digit of 34993000-5 is wrong: the CPV code for “Road lights” is " \
           "34993000-4." in html
    assert not Call.objects.filter(title="Smart street lighting").exists()


def test_admin_refuses_text_that_is_no_cpv_code(staff_client, buyer):
    html = _post_call(staff_client, buyer, cpv_codes="road lights").content.decode()
    assert "Not CPV codes" in html and "road lights" in html


def test_admin_change_form_shows_codes_as_text_and_choices_as_widgets(staff_client, buyer):
    call = CallFactory(buyer=buyer, allowed_helices=["industry"], allowed_countries=["HR"])
    html = staff_client.get(f"/admin/procurement/call/{call.pk}/change/").content.decode()
    assert "48000000-8, 73100000-3" in html and '["48000000-8"' not in html
    assert 'type="checkbox" name="allowed_helices" value="industry"' in html
    assert '<option value="HR" selected>' in html
    assert 'data-lookup-url="/admin/procurement/call/lookup/cpv/"' in html
    assert "Open this call on the buyer desk" in html
    assert f"/calls/{call.slug}/manage/" in html


def test_buyer_desk_form_shares_the_fields():
    form = CallForm(data={"title": "Lights", "challenge": "Dim them.", "procedure": "open_innovation",
                          "cpv_codes": "34993000-4; 73100000-3", "currency": "EUR",
                          "standstill_days": 10, "allowed_helices": ["industry"],
                          "nuts_region": "hr031"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["cpv_codes"] == ["34993000-4", "73100000-3"]
    assert form.cleaned_data["nuts_region"] == "HR031"
    wrong = CallForm(data={**form.data, "cpv_codes": "34993000-1"})
    assert not wrong.is_valid()
    assert "34993000-4" in wrong.errors["cpv_codes"][0]


def test_lookup_finds_cpv_by_name_and_nuts_by_city(staff_client):
    CityFactory(name="Rijeka", nuts_region="HR031")
    cpv = staff_client.get("/admin/procurement/call/lookup/cpv/?q=road light").json()
    assert {"code": "34993000-4", "label": "Road lights"} in cpv["results"]
    assert staff_client.get("/admin/procurement/call/lookup/cpv/?q=3499").json()["results"]
    nuts = staff_client.get("/admin/procurement/call/lookup/nuts/?q=rije").json()
    assert nuts["results"] == [{"code": "HR031", "label": "Rijeka"}]
    assert staff_client.get("/admin/procurement/call/lookup/other/").status_code == 404


def test_lookup_is_for_staff_only(client):
    response = client.get("/admin/procurement/call/lookup/cpv/?q=road")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# Publish errors as sentences -------------------------------------------------------------

def test_publish_error_says_what_to_do_in_sentences(buyer, buyer_admin):
    call = CallFactory(buyer=buyer, nuts_region="", criteria=[("Quality", 60)])
    with pytest.raises(InvalidInput) as error:
        services.call_publish(call=call, actor=buyer_admin)
    message = str(error.value.message)
    assert message == ("The call cannot be published yet. Choose the NUTS region of the call. "
                       "The criteria weights add up to 60 %; they must add up to 100 %.")
    assert "nuts_region" not in message
    assert error.value.fields["criteria"] == [
        "The criteria weights add up to 60 %; they must add up to 100 %."]


def test_publish_error_without_criteria(buyer, buyer_admin):
    call = CallFactory(buyer=buyer)
    Criterion.objects.filter(call=call).delete()
    with pytest.raises(InvalidInput) as error:
        services.call_publish(call=call, actor=buyer_admin)
    assert str(error.value.message) == ("The call cannot be published yet. Add the award "
                                        "criteria; their weights must add up to 100 %.")


def test_admin_publish_action_shows_the_sentence(staff_client, buyer):
    call = CallFactory(buyer=buyer, criteria=[("Quality", 60)])
    response = staff_client.post("/admin/procurement/call/", {
        "action": "publish_selected", "_selected_action": [call.pk]}, follow=True)
    assert "they must add up to 100 %" in response.content.decode()
