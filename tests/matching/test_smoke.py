from ecosystem.matching import services
from ecosystem.matching.models import Recommendation
from ecosystem.matching.selectors import recommendations_for


def test_refresh_stores_and_reads(world):
    services.recommendations_refresh_all()
    items = recommendations_for(viewer=world.member, limit=20)
    for item in items:
        print(item.kind, item.title, item.score, item.reason_texts)
    assert Recommendation.objects.exists()
