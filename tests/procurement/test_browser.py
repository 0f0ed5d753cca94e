"""An SME applies in a real browser, and the procurement pages pass axe (WCAG 2.1 AA) on a
desktop and a phone without CSP or JavaScript errors."""

import pytest

from procurement import services
from procurement.models import Application
from tests.browser.conftest import PHONE, describe, sign_in

from .conftest import past_deadline, submitted_application
from .factories import MINIMAL_PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_sme_applies_and_gets_a_receipt(page, shot, axe, published_call, org_a, admin_a,
                                        viewport, tmp_path):
    if viewport:
        page.set_viewport_size(viewport)
    suffix = "" if viewport is None else "-phone"
    page.goto(page.base + "/calls/")
    assert not axe(page), describe(axe(page))
    shot(page, f"procurement-1-list{suffix}")
    page.get_by_role("link", name=published_call.title).click()
    assert not axe(page), describe(axe(page))
    sign_in(page, admin_a)
    page.goto(page.base + published_call.get_absolute_url())
    shot(page, f"procurement-2-detail{suffix}")
    with page.expect_navigation():
        page.get_by_role("button", name="Start an application").click()
    application = Application.objects.get(call=published_call, organisation=org_a)
    for criterion in published_call.criteria.all():
        page.fill(f"#id_answer_{criterion.pk}", f"Our answer on {criterion.name}.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    offer = tmp_path / "offer.pdf"
    offer.write_bytes(MINIMAL_PDF)
    page.set_input_files("#id_file", str(offer))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload").click()
    assert not axe(page), describe(axe(page))
    with page.expect_navigation():
        page.get_by_role("button", name="Submit the application").click()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert page.locator("code.hash").inner_text() == application.receipt_sha256
    shot(page, f"procurement-3-receipt{suffix}")
    assert not axe(page), describe(axe(page))


def test_buyer_and_evaluator_pages_are_accessible(page, shot, axe, published_call, org_a,
                                                  admin_a, buyer_admin, evaluator):
    services.evaluator_assign(call=published_call, actor=buyer_admin, evaluator=evaluator,
                              is_chair=True)
    application = submitted_application(published_call, org_a, admin_a)
    past_deadline(published_call)
    sign_in(page, evaluator)
    page.goto(page.base + f"/evaluation/calls/{published_call.slug}/")
    assert not axe(page), describe(axe(page))
    page.get_by_label("No, I have no conflict of interest").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Declare").click()
    page.goto(page.base + f"/evaluation/applications/{application.pk}/")
    assert not axe(page), describe(axe(page))
    shot(page, "procurement-4-scoresheet")
    page.context.clear_cookies()
    sign_in(page, buyer_admin)
    page.goto(page.base + f"/calls/{published_call.slug}/manage/")
    assert not axe(page), describe(axe(page))
    shot(page, "procurement-5-manage")
    page.goto(page.base + f"/calls/{published_call.slug}/edit/")
    assert not axe(page), describe(axe(page))


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_evaluator_journey_declares_scores_and_the_chair_awards(
        page, shot, axe, published_call, org_a, admin_a, org_b, admin_b, buyer_admin, evaluator,
        viewport):
    """An evaluator (the chair) after the deadline, by clicking from the header: My portal →
    the evaluations on the overview → the call → no conflict → score every criterion with its justification →
    submit and lock → record the award; every page axe-clean and phone-wide."""
    from procurement.models import AwardDecision, Scoresheet

    services.evaluator_assign(call=published_call, actor=buyer_admin, evaluator=evaluator,
                              is_chair=True)
    first = submitted_application(published_call, org_a, admin_a)
    second = submitted_application(published_call, org_b, admin_b)
    past_deadline(published_call)
    width = (viewport or {"width": 1280})["width"]
    if viewport:
        page.set_viewport_size(viewport)

    def check(name):
        page.wait_for_load_state("networkidle")
        shot(page, f"journey-evaluator-{name}-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name
        assert not axe(page), f"{name}:\n{describe(axe(page))}"

    def click(locator):
        with page.expect_navigation():
            locator.click()

    sign_in(page, evaluator)
    page.locator(".personal-menu summary").click()
    click(page.locator(".personal-menu").get_by_role("link", name="Overview"))
    check("my-portal")
    click(page.locator("main").get_by_role("link", name=published_call.title).first)
    check("call")
    for application in (first, second):
        row = page.locator(f"form[action$='/evaluation/applications/{application.pk}/declare/']")
        row.get_by_label("No, I have no conflict of interest").check()
        click(row.get_by_role("button", name="Declare"))
    for application, score in ((first, "8"), (second, "6.5")):
        click(page.locator(f"a[href$='/evaluation/applications/{application.pk}/']"))
        check(f"scoresheet-{application.pk}")
        for criterion in published_call.criteria.all():
            page.fill(f"#id_score_{criterion.pk}", score)
            page.fill(f"#id_justification_{criterion.pk}",
                      f"{criterion.name}: the pilot plan is concrete and costed.")
        click(page.get_by_role("button", name="Save scores"))
        click(page.get_by_role("button", name="Submit and lock"))
        assert Scoresheet.objects.get(application=application).is_locked
        page.goto(page.base + f"/evaluation/calls/{published_call.slug}/")
    check("results")
    page.get_by_label(org_a.name).check()
    page.fill("#id_reasons", "Highest weighted score on every criterion.")
    click(page.get_by_role("button", name="Record the award decision"))
    decision = AwardDecision.objects.get(call=published_call)
    assert list(decision.winners.all()) == [first]
    check("awarded")
