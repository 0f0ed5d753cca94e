"""The services against the real database: organisations, invitations, memberships."""

from datetime import timedelta

import pytest
from django.core import mail, signing
from django.utils import timezone

from ecosystem.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from ecosystem.models import AuditEntry
from ecosystem.notifications.models import Notification, OutboxMessage
from stakeholders import selectors, services
from stakeholders.models import Invitation, Membership, Organisation
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _invite(org, admin, email="new.colleague@alpha.example", role="member", **kwargs):
    return services.invitation_create(organisation=org, actor=admin, email=email, role=role, **kwargs)


# Organisations --------------------------------------------------------------------------------

def test_create_makes_the_author_the_first_admin_and_is_audited(citizen):
    organisation = services.organisation_create(actor=citizen, name="Kvarner Data", kind="startup", country="HR")
    assert organisation.helix == "industry"
    assert organisation.verified is False
    assert Membership.objects.get(organisation=organisation).role == Membership.Role.ADMIN
    assert AuditEntry.objects.filter(action="stakeholders.organisation.created", target_id=str(organisation.pk)).exists()


@pytest.mark.parametrize("name", ["New", "Mine"])
def test_slug_never_shadows_a_fixed_page(citizen, name):
    organisation = services.organisation_create(actor=citizen, name=name, kind="sme", country="HR")
    assert organisation.slug not in services.RESERVED_SLUGS


def test_anonymous_cannot_create():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed):
        services.organisation_create(actor=AnonymousUser(), name="X", kind="sme", country="HR")
    assert not Organisation.objects.exists()


def test_admin_of_b_cannot_update_a(org_a, admin_b):
    with pytest.raises(NotAllowed):
        services.organisation_update(organisation=org_a, actor=admin_b, name="Hijacked")
    org_a.refresh_from_db()
    assert org_a.name == "Alpha Sensors"


def test_member_cannot_update(org_a, member_a):
    with pytest.raises(NotAllowed):
        services.organisation_update(organisation=org_a, actor=member_a, name="Hijacked")


def test_verify_is_staff_only_audited_and_tells_the_admins(org_a, admin_a, staff):
    with pytest.raises(NotAllowed):
        services.organisation_verify(organisation=org_a, actor=admin_a)
    services.organisation_verify(organisation=org_a, actor=staff)
    org_a.refresh_from_db()
    assert org_a.verified and org_a.verified_at is not None
    assert AuditEntry.objects.filter(action="stakeholders.organisation.verified", actor=staff).count() == 1
    assert Notification.objects.filter(recipient=admin_a, kind="stakeholders.organisation_verified").count() == 1
    services.organisation_verify(organisation=org_a, actor=staff)  # again: nothing new
    assert AuditEntry.objects.filter(action="stakeholders.organisation.verified").count() == 1
    services.organisation_verify(organisation=org_a, actor=staff, verified=False)
    org_a.refresh_from_db()
    assert not org_a.verified and org_a.verified_at is None


# Invitations ----------------------------------------------------------------------------------

def test_invitation_create_sends_a_signed_link(org_a, admin_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(org_a, admin_a, email="  New.Colleague@Alpha.example ")
    assert invitation.email == "new.colleague@alpha.example"
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.colleague@alpha.example"]
    assert "Alpha Sensors" in message.subject
    token = message.body.split("/invitations/")[1].split("/")[0]
    assert selectors.invitation_from_token(token) == invitation
    assert AuditEntry.objects.filter(action="stakeholders.invitation.created").exists()


def test_nothing_is_mailed_when_the_transaction_rolls_back(org_a, admin_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _invite(org_a, admin_a)
    assert len(callbacks) == 1 and mail.outbox == []


def test_only_admins_invite(org_a, member_a, admin_b):
    for actor in (member_a, admin_b):
        with pytest.raises(NotAllowed):
            _invite(org_a, actor)
    assert not Invitation.objects.exists()


def test_duplicate_pending_invitation_is_refused(org_a, admin_a):
    _invite(org_a, admin_a)
    with pytest.raises(Conflict) as error:
        _invite(org_a, admin_a, email="NEW.colleague@alpha.example")
    assert error.value.code == "invitation_pending"
    assert Invitation.objects.count() == 1


def test_an_expired_pending_invitation_can_be_replaced(org_a, admin_a):
    old = _invite(org_a, admin_a, now=timezone.now() - timedelta(days=8))
    new = _invite(org_a, admin_a)
    old.refresh_from_db()
    assert old.status == Invitation.Status.EXPIRED
    assert new.status == Invitation.Status.PENDING


def test_inviting_a_member_is_refused(org_a, admin_a, member_a):
    with pytest.raises(Conflict) as error:
        _invite(org_a, admin_a, email=member_a.email.upper())
    assert error.value.code == "already_member"


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b"])
def test_invalid_email_is_bad_input(org_a, admin_a, email):
    with pytest.raises(InvalidInput) as error:
        _invite(org_a, admin_a, email=email)
    assert "email" in error.value.fields


def test_invalid_role_is_bad_input(org_a, admin_a):
    with pytest.raises(InvalidInput):
        _invite(org_a, admin_a, role="owner")


def test_accept_creates_the_membership_with_the_invited_role(org_a, admin_a):
    invitation = _invite(org_a, admin_a, email="colleague@alpha.example", role="admin")
    colleague = UserFactory(email="colleague@alpha.example")
    membership = services.invitation_accept(token=selectors.invitation_token(invitation), actor=colleague)
    assert membership.organisation == org_a and membership.role == Membership.Role.ADMIN
    assert membership.is_public is False
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED and invitation.accepted_at
    assert Notification.objects.filter(recipient=admin_a, kind="stakeholders.member_joined").exists()
    # Using the link again is harmless for the same person.
    again = services.invitation_accept(token=selectors.invitation_token(invitation), actor=colleague)
    assert again == membership
    assert Membership.objects.filter(organisation=org_a, user=colleague).count() == 1


def test_accept_by_a_verified_secondary_address(org_a, admin_a):
    from allauth.account.models import EmailAddress

    invitation = _invite(org_a, admin_a, email="work@alpha.example")
    person = UserFactory(email="private@example.org")
    EmailAddress.objects.create(user=person, email="work@alpha.example", verified=False)
    with pytest.raises(NotAllowed):
        services.invitation_accept(token=selectors.invitation_token(invitation), actor=person)
    EmailAddress.objects.filter(user=person).update(verified=True)
    assert services.invitation_accept(token=selectors.invitation_token(invitation), actor=person)


def test_accept_with_the_wrong_email_is_refused(org_a, admin_a, citizen):
    invitation = _invite(org_a, admin_a, email="colleague@alpha.example")
    with pytest.raises(NotAllowed) as error:
        services.invitation_accept(token=selectors.invitation_token(invitation), actor=citizen)
    assert error.value.code == "wrong_email"
    assert not Membership.objects.filter(user=citizen).exists()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_accept_after_expiry_is_refused_by_the_server_clock(org_a, admin_a):
    invitation = _invite(org_a, admin_a, email="colleague@alpha.example")
    colleague = UserFactory(email="colleague@alpha.example")
    token = selectors.invitation_token(invitation)
    with pytest.raises(InvalidTransition) as error:
        services.invitation_accept(token=token, actor=colleague, now=invitation.expires_at + timedelta(seconds=1))
    assert error.value.code == "invitation_expired"
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(InvalidTransition):
        services.invitation_accept(token=token, actor=colleague)
    assert not Membership.objects.filter(user=colleague).exists()


def test_an_old_signature_is_expired_even_if_the_row_says_otherwise(org_a, admin_a, monkeypatch):
    invitation = _invite(org_a, admin_a, email="colleague@alpha.example")
    colleague = UserFactory(email="colleague@alpha.example")
    eight_days_ago = timezone.now().timestamp() - 8 * 24 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: eight_days_ago)
    token = selectors.invitation_token(invitation)
    monkeypatch.undo()
    with pytest.raises(InvalidTransition) as error:
        services.invitation_accept(token=token, actor=colleague)
    assert error.value.code == "invitation_expired"


@pytest.mark.parametrize("mangle", [
    lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
    lambda token: "999999" + token[token.index(":"):],
    lambda token: "garbage",
    lambda token: "",
])
def test_tampered_tokens_are_bad_input(org_a, admin_a, mangle):
    invitation = _invite(org_a, admin_a, email="colleague@alpha.example")
    colleague = UserFactory(email="colleague@alpha.example")
    with pytest.raises(InvalidInput) as error:
        services.invitation_accept(token=mangle(selectors.invitation_token(invitation)), actor=colleague)
    assert error.value.code == "invitation_invalid"


def test_revoked_invitation_cannot_be_accepted(org_a, admin_a):
    invitation = _invite(org_a, admin_a, email="colleague@alpha.example")
    token = selectors.invitation_token(invitation)
    services.invitation_revoke(invitation=invitation, actor=admin_a)
    with pytest.raises(InvalidTransition) as error:
        services.invitation_accept(token=token, actor=UserFactory(email="colleague@alpha.example"))
    assert error.value.code == "invitation_revoked"
    with pytest.raises(InvalidTransition):
        services.invitation_revoke(invitation=invitation, actor=admin_a)


def test_an_accepted_invitation_is_not_reusable_by_someone_else(org_a, admin_a):
    invitation = _invite(org_a, admin_a, email="colleague@alpha.example")
    token = selectors.invitation_token(invitation)
    services.invitation_accept(token=token, actor=UserFactory(email="colleague@alpha.example"))
    with pytest.raises(InvalidTransition) as error:
        services.invitation_accept(token=token, actor=UserFactory(email="other@alpha.example"))
    assert error.value.code == "invitation_used"


def test_only_admins_of_the_organisation_revoke_or_resend(org_a, admin_a, admin_b, member_a):
    invitation = _invite(org_a, admin_a)
    for actor in (admin_b, member_a):
        with pytest.raises(NotAllowed):
            services.invitation_revoke(invitation=invitation, actor=actor)
        with pytest.raises(NotAllowed):
            services.invitation_resend(invitation=invitation, actor=actor)


def test_resend_extends_the_validity(org_a, admin_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(org_a, admin_a, now=timezone.now() - timedelta(days=6))
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        resent = services.invitation_resend(invitation=invitation, actor=admin_a)
    assert resent.expires_at > timezone.now() + timedelta(days=6)
    assert len(mail.outbox) == 2  # through the outbox, like every e-mail
    assert OutboxMessage.objects.filter(task=services.INVITATION_SEND_TASK,
                                        status="done").count() == 2


def test_the_email_task_skips_withdrawn_invitations(org_a, admin_a):
    from stakeholders.tasks import invitation_send_task

    invitation = _invite(org_a, admin_a)
    services.invitation_revoke(invitation=invitation, actor=admin_a)
    assert invitation_send_task(invitation.pk) is False
    assert invitation_send_task(987654) is False
    assert mail.outbox == []


def test_invitations_for_lists_open_invitations_to_my_address(org_a, org_b, admin_a, admin_b):
    person = UserFactory(email="colleague@example.org")
    _invite(org_a, admin_a, email="colleague@example.org")
    revoked = _invite(org_b, admin_b, email="colleague@example.org")
    services.invitation_revoke(invitation=revoked, actor=admin_b)
    assert [i.organisation for i in selectors.invitations_for(user=person)] == [org_a]


# Memberships ----------------------------------------------------------------------------------

def test_the_last_admin_cannot_leave_or_be_demoted(org_a, admin_a):
    membership = Membership.objects.get(user=admin_a, organisation=org_a)
    with pytest.raises(InvalidTransition) as error:
        services.membership_remove(membership=membership, actor=admin_a)
    assert error.value.code == "last_admin"
    with pytest.raises(InvalidTransition):
        services.membership_set_role(membership=membership, actor=admin_a, role="member")
    assert Membership.objects.filter(pk=membership.pk, role="admin").exists()


def test_a_member_leaves_and_an_admin_removes(org_a, admin_a, member_a):
    other = MembershipFactory(organisation=org_a)
    services.membership_remove(membership=Membership.objects.get(user=member_a), actor=member_a)
    services.membership_remove(membership=other, actor=admin_a)
    assert list(org_a.memberships.values_list("user__email", flat=True)) == [admin_a.email]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"stakeholders.membership.left", "stakeholders.membership.removed"} <= actions


def test_a_member_cannot_remove_a_colleague(org_a, admin_a, member_a):
    with pytest.raises(NotAllowed):
        services.membership_remove(membership=Membership.objects.get(user=admin_a), actor=member_a)


def test_admin_of_b_cannot_remove_members_of_a(org_a, member_a, admin_b):
    with pytest.raises(NotAllowed):
        services.membership_remove(membership=Membership.objects.get(user=member_a), actor=admin_b)
    with pytest.raises(NotAllowed):
        services.membership_set_role(membership=Membership.objects.get(user=member_a), actor=admin_b, role="admin")


def test_handover_swaps_the_roles(org_a, admin_a, member_a):
    target = Membership.objects.get(user=member_a)
    services.admin_handover(organisation=org_a, actor=admin_a, to=target)
    roles = dict(org_a.memberships.values_list("user__email", "role"))
    assert roles == {admin_a.email: "member", member_a.email: "admin"}
    # The former admin can leave now; the new one cannot.
    services.membership_remove(membership=Membership.objects.get(user=admin_a), actor=admin_a)
    with pytest.raises(InvalidTransition):
        services.membership_remove(membership=Membership.objects.get(user=member_a), actor=member_a)


def test_handover_only_by_an_admin_to_a_member_of_the_same_organisation(org_a, org_b, admin_a, member_a, admin_b):
    with pytest.raises(NotAllowed):
        services.admin_handover(organisation=org_a, actor=member_a, to=Membership.objects.get(user=member_a))
    with pytest.raises(NotAllowed):
        services.admin_handover(organisation=org_a, actor=admin_a, to=Membership.objects.get(user=admin_b))


def test_visibility_is_the_persons_own_choice(org_a, admin_a, member_a):
    membership = Membership.objects.get(user=member_a)
    with pytest.raises(NotAllowed):
        services.membership_set_visibility(membership=membership, actor=admin_a, is_public=True)
    services.membership_set_visibility(membership=membership, actor=member_a, is_public=True)
    assert list(selectors.organisation_public_members(organisation=org_a)) == [membership]


def test_decline_by_the_invited_person_only(org_a, admin_a, citizen):
    invitation = _invite(org_a, admin_a, email="colleague@alpha.example")
    token = selectors.invitation_token(invitation)
    with pytest.raises(NotAllowed):
        services.invitation_decline(token=token, actor=citizen)
    colleague = UserFactory(email="colleague@alpha.example")
    services.invitation_decline(token=token, actor=colleague)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.DECLINED
    with pytest.raises(InvalidTransition) as error:
        services.invitation_accept(token=token, actor=colleague)
    assert error.value.code == "invitation_declined"
    # The administrators may invite the same address again.
    assert _invite(org_a, admin_a, email="colleague@alpha.example").status == Invitation.Status.PENDING


def test_an_organisation_cannot_mail_strangers_in_bulk(org_a, admin_a, monkeypatch):
    monkeypatch.setattr(services, "MAX_PENDING_INVITATIONS", 3)
    for number in range(3):
        _invite(org_a, admin_a, email=f"person{number}@example.org")
    with pytest.raises(Conflict) as error:
        _invite(org_a, admin_a, email="one-too-many@example.org")
    assert error.value.code == "too_many_invitations"
    services.invitation_revoke(invitation=Invitation.objects.first(), actor=admin_a)
    assert _invite(org_a, admin_a, email="one-too-many@example.org")


def test_changing_the_kind_moves_the_organisation_to_its_helix(org_a, admin_a):
    services.organisation_update(organisation=org_a, actor=admin_a, kind="university")
    org_a.refresh_from_db()
    assert org_a.helix == "academia"
