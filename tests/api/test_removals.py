"""Records that left a list are reported by the incremental sync
(`filter[modification][depuis]`) as `{"type", "id", "attributes": {"statut": "supprime"}}`,
once, in the list's order; a full sync lists none."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from api.models import ApiTombstone
from api.services.tombstones import api_tombstones_purge
from learners.choices import SessionKind
from tests.factories.learners import (
    CounsellorFactory,
    SessionFactory,
    StructureFactory,
    VenueFactory,
)
from tests.factories.workshops import (
    AtelierPageFactory,
    GuidePageFactory,
    atelier_index_page,
    guide_index_page,
)

pytestmark = pytest.mark.django_db


def _sync(client, url, since=None, **headers):
    """Every item of a sync, following links.next, in pages of 2."""
    params = {"page[size]": 2}
    if since is not None:
        params["filter[modification][depuis]"] = since.isoformat()
    items, response = [], client.get(url, params, **headers)
    while True:
        assert response.status_code == 200, response.content
        document = response.json()
        items += document["data"]
        if not document["links"].get("next"):
            return items
        response = client.get(document["links"]["next"], **headers)


def _removed(items):
    return [(i["type"], i["id"]) for i in items if i["attributes"].get("statut") == "supprime"]


def _live(items):
    return [(i["type"], i["id"]) for i in items if i["attributes"].get("statut") != "supprime"]


def _moment():
    moment = timezone.now()
    return moment


def _public_session(**kwargs):
    return SessionFactory(kind=SessionKind.WORKSHOP, is_published=True, **kwargs)


def test_sessions_cancelled_unpublished_or_deleted_are_reported_once(client):
    kept, cancelled, unpublished, deleted = (_public_session() for _ in range(4))
    assert len(_sync(client, "/api/v1/sessions")) == 4
    since = _moment()
    cancelled.cancelled_at = timezone.now()
    cancelled.save()
    unpublished.is_published = False
    unpublished.save()
    deleted_id = str(deleted.pk)
    deleted.delete()
    kept.title = "Nouveau titre"
    kept.save()
    items = _sync(client, "/api/v1/sessions", since)
    assert sorted(_removed(items)) == sorted(
        [("session", str(cancelled.pk)), ("session", str(unpublished.pk)), ("session", deleted_id)]
    )
    assert _live(items) == [("session", str(kept.pk))]
    removal = next(i for i in items if i["id"] == deleted_id)
    assert set(removal["attributes"]) == {"statut", "modification"}
    # Once: the next incremental sync, from after this one, has none of them.
    assert _sync(client, "/api/v1/sessions", _moment()) == []
    # A full sync lists what is there, no removal.
    assert _removed(_sync(client, "/api/v1/sessions")) == []
    assert _live(_sync(client, "/api/v1/sessions")) == [("session", str(kept.pk))]


def test_a_session_that_took_place_is_not_reported_removed(client):
    since = _moment()
    past = _public_session(start=timezone.now() - datetime.timedelta(days=1))
    past.title = "Changée après coup"
    past.save()
    assert _sync(client, "/api/v1/sessions", since) == []


def test_venues_deactivated_or_deleted_are_reported(client):
    kept = VenueFactory(name="Médiathèque", pivot="12345678901234")
    inactive = VenueFactory(pivot="12345678901234")
    gone = VenueFactory(pivot="12345678901234")
    since = _moment()
    inactive.is_active = False
    inactive.save()
    gone_id = str(gone.pk)
    gone.delete()
    items = _sync(client, "/api/v1/lieux", since)
    assert sorted(_removed(items)) == sorted([("lieu", str(inactive.pk)), ("lieu", gone_id)])
    assert ("lieu", str(kept.pk)) not in _live(items)  # unchanged since
    assert _removed(_sync(client, "/api/v1/lieux")) == []


def test_a_venue_that_loses_a_required_column_is_reported_as_removed(client):
    venue = VenueFactory(pivot="12345678901234")
    assert ("lieu", str(venue.pk)) in _live(_sync(client, "/api/v1/lieux"))
    since = _moment()
    venue.address = ""  # « adresse » is required by the standard: no longer published
    venue.save()
    items = _sync(client, "/api/v1/lieux", since)
    assert _removed(items) == [("lieu", str(venue.pk))]
    assert _live(items) == []
    full = _sync(client, "/api/v1/lieux")
    assert ("lieu", str(venue.pk)) not in _live(full) and _removed(full) == []


def test_guides_and_ateliers_unpublished_or_deleted_are_reported(client):
    guide = GuidePageFactory(parent=guide_index_page())
    atelier = AtelierPageFactory(parent=atelier_index_page())
    other = GuidePageFactory(parent=guide_index_page())
    since = _moment()
    guide.unpublish()
    atelier_id = str(atelier.pk)
    atelier.delete()
    assert _removed(_sync(client, "/api/v1/fiches", since)) == [("fiche", str(guide.pk))]
    assert _removed(_sync(client, "/api/v1/ateliers", since)) == [("atelier", atelier_id)]
    assert _live(_sync(client, "/api/v1/fiches")) == [("fiche", str(other.pk))]
    assert _removed(_sync(client, "/api/v1/fiches")) == []


def test_structures_and_departed_counsellors_are_reported_to_keys_that_may_see_them(
    client, make_key
):
    home, elsewhere = StructureFactory(), StructureFactory()
    leaving = CounsellorFactory(structure=home)
    far = CounsellorFactory(structure=elsewhere)
    _, network = make_key(scopes=["structures"])
    _, bound = make_key(name="Bound", scopes=["structures"], structure=home)
    since = _moment()
    leaving.user.is_active = False
    leaving.user.save()
    far_id = str(far.pk)
    far.delete()
    empty = StructureFactory()
    empty_id = str(empty.pk)
    empty.delete()
    assert sorted(_removed(_sync(client, "/api/v1/conseillers", since, **network))) == sorted(
        [("conseiller", str(leaving.pk)), ("conseiller", far_id)]
    )
    assert _removed(_sync(client, "/api/v1/conseillers", since, **bound)) == [
        ("conseiller", str(leaving.pk))
    ]
    assert _removed(_sync(client, "/api/v1/structures", since, **network)) == [
        ("structure", empty_id)
    ]
    assert _removed(_sync(client, "/api/v1/structures", since, **bound)) == []


def test_a_counsellor_moved_elsewhere_leaves_the_old_structure_keys_list_only(client, make_key):
    old, new = StructureFactory(), StructureFactory()
    moving = CounsellorFactory(structure=old)
    _, network = make_key(scopes=["structures"])
    _, old_key = make_key(name="Ancienne", scopes=["structures"], structure=old)
    _, new_key = make_key(name="Nouvelle", scopes=["structures"], structure=new)
    since = _moment()
    moving.structure = new
    moving.save()
    mine = ("conseiller", str(moving.pk))
    old_items = _sync(client, "/api/v1/conseillers", since, **old_key)
    assert _removed(old_items) == [mine] and _live(old_items) == []
    new_items = _sync(client, "/api/v1/conseillers", since, **new_key)
    assert _removed(new_items) == [] and _live(new_items) == [mine]
    network_items = _sync(client, "/api/v1/conseillers", since, **network)
    assert _removed(network_items) == [] and mine in _live(network_items)
    # Moved back: the old structure's key lists them again, never as removed.
    moving.structure = old
    moving.save()
    old_items = _sync(client, "/api/v1/conseillers", since, **old_key)
    assert _removed(old_items) == [] and _live(old_items) == [mine]


def test_tombstones_are_kept_for_the_retention_then_purged(settings):
    settings.API_TOMBSTONE_RETENTION_DAYS = 30
    venue = VenueFactory()
    venue.delete()
    (stone,) = ApiTombstone.objects.all()
    assert api_tombstones_purge(now=stone.removed_at + datetime.timedelta(days=29)) == 0
    ApiTombstone.objects.update(removed_at=stone.removed_at - datetime.timedelta(days=31))
    call_command("purge_api_tombstones", stdout=open("/dev/null", "w"))
    assert not ApiTombstone.objects.exists()


def test_the_purge_runs_every_night_as_a_logged_job(settings):
    from api.tasks import api_tombstones_purge_task
    from learners.models import JobRun

    entry = settings.CELERY_BEAT_SCHEDULE["api-tombstones-purge"]
    assert entry["task"] == api_tombstones_purge_task.name == "api.tombstones_purge"
    settings.API_TOMBSTONE_RETENTION_DAYS = 30
    VenueFactory().delete()
    ApiTombstone.objects.update(removed_at=timezone.now() - datetime.timedelta(days=31))
    assert api_tombstones_purge_task.apply().get() == {"deleted": 1}
    assert not ApiTombstone.objects.exists()
    run = JobRun.objects.get(name="api_tombstones_purge")
    assert run.status == "ok"


def test_a_reactivated_counsellor_comes_back_in_the_incremental_sync(client, make_key):
    counsellor = CounsellorFactory(structure=StructureFactory())
    _, network = make_key(scopes=["structures"])
    counsellor.user.is_active = False
    counsellor.user.save()
    since = _moment()
    counsellor.user.is_active = True
    counsellor.user.save(update_fields=["is_active"])
    items = _sync(client, "/api/v1/conseillers", since, **network)
    assert _live(items) == [("conseiller", str(counsellor.pk))] and _removed(items) == []
    counsellor.user.first_name = "Renommée"
    counsellor.user.save()  # an active account saved again: nothing to send
    assert _sync(client, "/api/v1/conseillers", _moment(), **network) == []
