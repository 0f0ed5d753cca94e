"""allauth in the portal: where people land, the sign-up form, pages in the portal's layout."""

import pytest
from allauth.account.models import EmailAddress

from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _verified(email, **extra):
    user = UserFactory(email=email, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _login(client, email):
    return client.post("/accounts/login/", {"login": email, "password": "pass-word-123"})


def test_without_organisation_you_land_on_my_portal_which_offers_to_register_one(client):
    _verified("nobody@example.org")
    response = _login(client, "nobody@example.org")
    assert response.status_code == 302 and response["Location"] == "/me/"
    page = client.get("/me/").content.decode()
    assert 'href="/organisations/new/"' in page and "Join your organisation" in page


def test_with_an_organisation_you_land_on_my_portal_without_the_guidance(client):
    user = _verified("member@example.org")
    MembershipFactory(user=user)
    assert _login(client, "member@example.org")["Location"] == "/me/"
    assert "Join your organisation" not in client.get("/me/").content.decode()


def test_next_wins_over_the_landing_page(client):
    _verified("nobody@example.org")
    response = client.post("/accounts/login/?next=/events/", {"login": "nobody@example.org", "password": "pass-word-123", "next": "/events/"})
    assert response["Location"] == "/events/"


def test_unverified_email_cannot_sign_in(client):
    UserFactory(email="unverified@example.org")
    response = _login(client, "unverified@example.org")
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_signup_stores_the_full_name(client):
    from django.contrib.auth import get_user_model

    client.post("/accounts/signup/", {
        "email": "Marta@Example.org", "full_name": " Marta Test ", "password1": "a-long-passphrase-2026",
        "password2": "a-long-passphrase-2026",
    })
    user = get_user_model().objects.get(email__iexact="marta@example.org")
    assert user.full_name == "Marta Test"


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/",
                                 "/accounts/confirm-email/", "/accounts/confirm-email/bad-key/"])
def test_account_pages_use_the_portal_layout(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="skip-link"' in page and '<main id="main"' in page and "account-panel" in page
    assert "<style" not in page and "style=" not in page


def test_a_long_standing_citizen_lands_on_my_portal(client):
    from datetime import timedelta

    from django.utils import timezone

    _verified("citizen@example.org", date_joined=timezone.now() - timedelta(days=400))
    assert _login(client, "citizen@example.org")["Location"] == "/me/"


def test_a_waiting_invitation_brings_you_to_my_organisations(client, org_a, admin_a):
    from datetime import timedelta

    from django.utils import timezone

    from stakeholders.models import Invitation

    _verified("citizen@example.org", date_joined=timezone.now() - timedelta(days=400))
    Invitation.objects.create(organisation=org_a, email="citizen@example.org", invited_by=admin_a)
    assert _login(client, "citizen@example.org")["Location"] == "/organisations/mine/"


def test_register_from_the_home_page_leads_to_the_organisation_form(client):
    import re

    from django.core import mail

    home = client.get("/").content.decode()
    assert 'href="/accounts/signup/?next=/organisations/new/"' in home
    client.post("/accounts/signup/?next=/organisations/new/", {
        "email": "sme@example.org", "password1": "a-long-passphrase-2026",
        "password2": "a-long-passphrase-2026", "next": "/organisations/new/",
    })
    confirm = re.search(r"https?://[^/]+(/accounts/confirm-email/\S+)", mail.outbox[0].body).group(1)
    assert client.post(confirm)["Location"] == "/organisations/new/"
