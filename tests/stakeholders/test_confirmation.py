"""The confirmation pages say what happens: in the browser that registered, confirming signs
the person in; in another browser it confirms the address and asks to sign in once."""

import re

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db


def _sign_up(client) -> str:
    response = client.post("/accounts/signup/", {
        "email": "sme@example.org", "password1": "a-long-passphrase-2026",
        "password2": "a-long-passphrase-2026"})
    assert response["Location"] == "/accounts/confirm-email/"
    return re.search(r"https?://[^/]+(/accounts/confirm-email/\S+)", mail.outbox[0].body).group(1)


def test_sent_page_tells_both_cases(client):
    _sign_up(client)
    html = client.get("/accounts/confirm-email/").content.decode()
    assert "Opened in this browser, the link confirms your address and signs you in" in html
    assert "Opened on another device or in another browser" in html
    assert "you then sign in once with your e-mail address and password" in html


def test_confirm_in_this_browser_signs_in(client):
    link = _sign_up(client)
    assert "If you registered in this browser, you are signed in" in client.get(link).content.decode()
    client.post(link)
    assert client.session.get("_auth_user_id")


def test_confirm_in_another_browser_asks_to_sign_in_as_the_page_said(client):
    link = _sign_up(client)
    other = Client()
    page = other.get(link).content.decode()
    assert "you are asked to sign in once with your e-mail address and password" in page
    response = other.post(link)
    assert response["Location"].startswith("/accounts/login/")
    assert not other.session.get("_auth_user_id")
    signed_in = other.post("/accounts/login/", {"login": "sme@example.org",
                                                "password": "a-long-passphrase-2026"})
    assert signed_in.status_code == 302 and other.session.get("_auth_user_id")
