"""A civil-society organisation finds a project looking for partners in "For you" and answers
its call in a real browser, on a desktop and a phone; axe finds no WCAG 2.1 AA violation."""

import pytest

from ecosystem.matching.services import recommendations_refresh
from ecosystem.notifications.models import Notification
from tests.browser.conftest import PHONE, describe, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_an_ngo_answers_a_call_for_partners_from_for_you(page, shot, axe, world, seeking,
                                                          viewport):
    if viewport:
        page.set_viewport_size(viewport)
    suffix = "" if viewport is None else "-phone"
    recommendations_refresh(organisation_ids=[world.ngo.pk])
    sign_in(page, world.ngo_member)
    page.goto(page.base + "/")
    for_you = page.locator("section", has=page.get_by_role("heading", name="For you"))
    assert "Looks for a civil-society partner like you" in for_you.inner_text()
    assert not axe(page), describe(axe(page))
    shot(page, f"partners-1-for-you{suffix}")
    with page.expect_navigation():
        for_you.get_by_role("link", name="CLEAN AIR: Clean air in the old town").click()
    call = page.locator("section", has=page.get_by_role("heading", name="Looking for partners"))
    assert "citizens' association" in call.inner_text()
    assert not axe(page), describe(axe(page))
    page.get_by_label("Message (optional)").fill("We run air-quality walks with residents.")
    shot(page, f"partners-2-project{suffix}")
    with page.expect_navigation():
        page.get_by_role("button", name="Tell the consortium you are interested").click()
    assert "The project's team was told, through the portal." in page.inner_text("main")
    assert not axe(page), describe(axe(page))
    told = Notification.objects.get(kind="projects.partner_interest")
    assert told.recipient == world.team
    assert told.context["message"] == "We run air-quality walks with residents."
