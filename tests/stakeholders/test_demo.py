import io

import pytest
from django.contrib.auth import get_user_model

from ecosystem import demo as ecosystem_demo
from ecosystem.management.commands.seed_demo import Demo
from stakeholders import demo
from stakeholders.models import City, Invitation, Membership, Organisation

pytestmark = pytest.mark.django_db


def _counts():
    return [model.objects.count() for model in (Organisation, City, Membership, Invitation)]


def test_seed_is_idempotent_and_realistic():
    run = Demo(out=io.StringIO())
    ecosystem_demo.seed(run)
    demo.seed(run)
    first = _counts()
    demo.seed(Demo(out=io.StringIO()))
    assert _counts() == first
    assert Organisation.objects.filter(verified=False).exists()
    assert {o.helix for o in Organisation.objects.all()} == {"industry", "academia", "public", "civil"}
    assert Invitation.objects.filter(status="pending").count() == len(demo.INVITATIONS)
    assert Organisation.objects.get(slug="cyberforum").cluster_members.exists()
    # City staff work in the admin through the group, without being superusers.
    officer = get_user_model().objects.get(email="officer@rijeka.example")
    assert officer.is_staff and not officer.is_superuser
    assert officer.groups.filter(name="City staff").exists()


def test_scale_adds_synthetic_organisations_with_an_admin_each():
    run = Demo(out=io.StringIO())
    ecosystem_demo.seed(run)
    demo.seed(run)
    before = Organisation.objects.count()
    demo.seed_scale(run, 30, batch_size=7)
    assert Organisation.objects.count() == before + 30
    assert Membership.objects.filter(organisation__slug__startswith="synthetic-", role="admin").count() == 30
