"""'Mes séances' and the session form, as every role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from learners.choices import AttendanceStatus, PlaceType, SessionKind
from learners.models import AnonymousParticipants, Session
from tests.factories.learners import (
    AttendanceFactory,
    SessionFactory,
    VenueFactory,
    at,
)
from tests.factories.workshops import AtelierPageFactory, competence, theme
from workshops.services.editorial import editorial_setup

pytestmark = pytest.mark.django_db

SESSIONS = reverse("learners_sessions")
CREATE = reverse("learners_session_create")


def edit_url(session):
    return reverse("learners_session_edit", args=[session.pk])


def login(client, user):
    client.force_login(user)
    return client


def assert_refused(response):
    """Wagtail's refusal for a user with admin access but not this permission: back to the
    admin home with "permission denied" (PermissionDenied raised by the view)."""
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


@pytest.fixture
def venue_a(structure_a):
    return VenueFactory(structure=structure_a, name="Médiathèque Landeronde")


@pytest.fixture
def venue_b(structure_b):
    return VenueFactory(structure=structure_b, name="Espace Clic Vendée")


@pytest.fixture
def sessions(structure_a, structure_b, venue_a, venue_b):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return {
        "a": SessionFactory(
            structure=structure_a, venue=venue_a, title="Séance-de-A", start=at(tomorrow, 10)
        ),
        "b": SessionFactory(
            structure=structure_b, venue=venue_b, title="Séance-de-B", start=at(tomorrow, 14)
        ),
    }


def _form_data(**overrides):
    tomorrow = timezone.localdate() + datetime.timedelta(days=2)
    data = {
        "kind": SessionKind.DROP_IN,
        "atelier": "",
        "title": "",
        "place": "",
        "date": tomorrow.isoformat(),
        "time": "14:00",
        "duration": "120",
        "duration_custom": "",
        "capacity": "",
        "level": "",
    }
    data.update(overrides)
    return data


# --- "Mes séances" ------------------------------------------------------------------------


def test_list_as_counsellor_shows_own_structure_only(client, counsellor_a, sessions):
    response = login(client, counsellor_a).get(SESSIONS)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Séance-de-A" in html
    assert "Séance-de-B" not in html
    assert reverse("learners_attendance_sheet", args=[sessions["a"].pk]) in html
    assert reverse("learners_attendance_sheet", args=[sessions["b"].pk]) not in html
    assert "Feuille de présence" in html


def test_list_as_other_structure_counsellor(client, counsellor_b, sessions):
    html = login(client, counsellor_b).get(SESSIONS).content.decode()
    assert "Séance-de-B" in html
    assert "Séance-de-A" not in html


def test_list_as_coordinator_shows_the_network(client, coordinator, sessions):
    html = login(client, coordinator).get(SESSIONS).content.decode()
    assert "Séance-de-A" in html and "Séance-de-B" in html


def test_list_refused_to_partner_editor(client, partner_editor, sessions):
    response = login(client, partner_editor).get(SESSIONS)
    assert_refused(response)
    assert "Séance-de-A" not in client.get(response["Location"]).content.decode()


def test_list_redirects_anonymous_to_login(client, sessions):
    response = client.get(SESSIONS)
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


def test_list_counts_places_and_separates_past(client, counsellor_a, structure_a, venue_a):
    today = timezone.localdate()
    upcoming = SessionFactory(
        structure=structure_a, venue=venue_a, title="Prochaine", capacity=8, start=at(today, 23)
    )
    AttendanceFactory.create_batch(3, session=upcoming, status=AttendanceStatus.REGISTERED)
    AttendanceFactory(session=upcoming, status=AttendanceStatus.WAITING)
    past = SessionFactory(
        structure=structure_a,
        venue=venue_a,
        title="Ancienne",
        start=at(today - datetime.timedelta(days=3)),
    )
    AttendanceFactory.create_batch(2, session=past, status=AttendanceStatus.PRESENT)
    login(client, counsellor_a)
    html = client.get(SESSIONS).content.decode()
    assert "Prochaine" in html and "Ancienne" not in html
    assert "3 inscrits / 8 places" in html
    assert "1 en attente" in html
    assert "Aujourd&#x27;hui" in html or "Aujourd'hui" in html
    html = client.get(SESSIONS, {"periode": "passees"}).content.decode()
    assert "Ancienne" in html and "Prochaine" not in html
    assert "2 présents" in html


def test_list_mine_only(client, counsellor_a, structure_a, venue_a):
    mine = SessionFactory(structure=structure_a, venue=venue_a, title="La-mienne")
    mine.counsellors.add(counsellor_a.counsellor)
    SessionFactory(structure=structure_a, venue=venue_a, title="Celle-du-collègue")
    html = login(client, counsellor_a).get(SESSIONS, {"miennes": "1"}).content.decode()
    assert "La-mienne" in html and "Celle-du-collègue" not in html


def _list_queries(client, user, structure, venue, count, django_assert_max_num_queries):
    for n in range(count):
        session = SessionFactory(structure=structure, venue=venue, title=f"S{n}")
        AttendanceFactory.create_batch(2, session=session)
    login(client, user)
    with django_assert_max_num_queries(20) as ctx:
        response = client.get(SESSIONS)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow(
    client, counsellor_a, structure_a, venue_a, django_assert_max_num_queries
):
    few = _list_queries(
        client, counsellor_a, structure_a, venue_a, 3, django_assert_max_num_queries
    )
    many = _list_queries(
        client, counsellor_a, structure_a, venue_a, 12, django_assert_max_num_queries
    )
    assert many == few


def test_menu_items_for_counsellor_not_partner_editor(client, counsellor_a, partner_editor):
    html = login(client, counsellor_a).get(reverse("wagtailadmin_home")).content.decode()
    assert "Mes séances" in html and "Mon tableau de bord" in html
    client.logout()
    html = login(client, partner_editor).get(reverse("wagtailadmin_home")).content.decode()
    assert "Mes séances" not in html and "Mon tableau de bord" not in html


# --- Create --------------------------------------------------------------------------------


def test_counsellor_creates_a_session_at_own_venue(client, counsellor_a, structure_a, venue_a):
    response = login(client, counsellor_a).post(
        CREATE, _form_data(place=f"lieu-{venue_a.pk}", capacity="6", title="Permanence du jeudi")
    )
    session = Session.objects.get(title="Permanence du jeudi")
    assert response.status_code == 302
    assert response["Location"] == reverse("learners_attendance_sheet", args=[session.pk])
    assert session.structure == structure_a
    assert session.venue == venue_a
    assert session.duration_minutes == 120
    assert session.capacity == 6
    assert list(session.counsellors.all()) == [counsellor_a.counsellor]
    assert timezone.localtime(session.start).hour == 14


def test_create_custom_duration_and_home_place(client, counsellor_a):
    login(client, counsellor_a).post(
        CREATE,
        _form_data(
            kind=SessionKind.INDIVIDUAL,
            place=PlaceType.HOME,
            duration="autre",
            duration_custom="50",
            title="Visite",
        ),
    )
    session = Session.objects.get(title="Visite")
    assert session.duration_minutes == 50
    assert session.place_type == PlaceType.HOME and session.venue is None


def test_create_refuses_another_structures_venue(client, counsellor_a, venue_b):
    response = login(client, counsellor_a).post(
        CREATE, _form_data(place=f"lieu-{venue_b.pk}", title="Intrusion")
    )
    assert response.status_code == 200
    assert not Session.objects.filter(title="Intrusion").exists()
    html = response.content.decode()
    # The form only offers the user's own venues; the other structure's is not even named.
    assert "Espace Clic Vendée" not in html
    assert "Choisissez un lieu de la liste" in html or "Sélectionnez un choix valide" in html


def test_create_form_offers_own_venues_only(client, counsellor_a, venue_a, venue_b):
    html = login(client, counsellor_a).get(CREATE).content.decode()
    assert "Médiathèque Landeronde" in html
    assert "Espace Clic Vendée" not in html


def test_create_custom_duration_requires_minutes(client, counsellor_a, venue_a):
    response = login(client, counsellor_a).post(
        CREATE, _form_data(place=f"lieu-{venue_a.pk}", duration="autre", title="Sans durée")
    )
    assert "Indiquez la durée en minutes." in response.content.decode()
    assert not Session.objects.filter(title="Sans durée").exists()


def test_create_refused_to_partner_editor_and_anonymous(client, partner_editor, venue_a):
    response = login(client, partner_editor).post(
        CREATE, _form_data(place=f"lieu-{venue_a.pk}", title="Éditeur")
    )
    assert_refused(response)
    client.logout()
    response = client.post(CREATE, _form_data(place=f"lieu-{venue_a.pk}", title="Anonyme"))
    assert response.status_code == 302
    assert not Session.objects.filter(title__in=["Éditeur", "Anonyme"]).exists()


def test_coordinator_must_name_a_structure_for_a_home_visit(
    client, coordinator, structure_b, venue_b
):
    login(client, coordinator)
    response = client.post(CREATE, _form_data(place=PlaceType.REMOTE, title="À distance"))
    assert "Choisissez la structure de la séance." in response.content.decode()
    client.post(
        CREATE, _form_data(place=PlaceType.REMOTE, title="À distance", structure=structure_b.pk)
    )
    assert Session.objects.get(title="À distance").structure == structure_b
    # The structure comes first: a venue no longer stands for it (only the chosen
    # structure's venues are offered).
    response = client.post(CREATE, _form_data(place=f"lieu-{venue_b.pk}", title="Au lieu B"))
    assert "Choisissez la structure de la séance." in response.content.decode()
    assert not Session.objects.filter(title="Au lieu B").exists()
    client.post(
        CREATE, _form_data(place=f"lieu-{venue_b.pk}", title="Au lieu B", structure=structure_b.pk)
    )
    assert Session.objects.get(title="Au lieu B").structure == structure_b


def _atelier():
    return AtelierPageFactory(
        title="Créer son adresse e-mail",
        duration_minutes=90,
        level="intermediaire",
        group_size_max=6,
        themes=[theme("e-mail")],
        competences=[competence("S2.1"), competence("S2.2")],
    )


def test_create_from_atelier_prefills_the_form(client, counsellor_a):
    atelier = _atelier()
    response = login(client, counsellor_a).get(CREATE, {"atelier": atelier.pk})
    form = response.context["form"]
    assert form.initial["atelier"] == atelier.pk
    assert form.initial["kind"] == SessionKind.WORKSHOP
    assert form.initial["duration"] == "90"
    assert form.initial["level"] == "intermediaire"
    assert form.initial["capacity"] == 6
    assert set(form.initial["competences"]) == {competence("S2.1").pk, competence("S2.2").pk}
    html = response.content.decode()
    assert 'value="90" class="' in html or 'value="90"' in html
    assert "Créer son adresse e-mail" in html
    # The curriculum's defaults are embedded for the progressive pre-fill on change.
    assert 'id="pap-atelier-defaults"' in html


def test_create_from_atelier_fills_what_is_left_empty(client, counsellor_a, venue_a):
    atelier = _atelier()
    login(client, counsellor_a).post(
        CREATE,
        _form_data(kind="", atelier=atelier.pk, duration="", place=f"lieu-{venue_a.pk}"),
    )
    session = Session.objects.get(atelier=atelier)
    assert session.kind == SessionKind.WORKSHOP
    assert session.title == "Créer son adresse e-mail"
    assert session.duration_minutes == 90
    assert session.level == "intermediaire"
    assert session.capacity == 6
    assert set(session.themes.all()) == {theme("e-mail")}
    assert set(session.competences.all()) == {competence("S2.1"), competence("S2.2")}


def test_create_from_unpublished_atelier_is_not_prefilled(client, counsellor_a):
    draft = AtelierPageFactory(publish=False)
    response = login(client, counsellor_a).get(CREATE, {"atelier": draft.pk})
    assert response.context["form"].initial.get("atelier") is None
    assert "n&#x27;est pas publié" in response.content.decode() or "n'est pas publié" in (
        response.content.decode()
    )


def test_atelier_page_header_offers_to_create_a_session(client, counsellor_a, partner_editor):
    atelier = _atelier()
    editorial_setup()  # page permissions on the atelier index created above
    url = reverse("wagtailadmin_pages:edit", args=[atelier.pk])
    html = login(client, counsellor_a).get(url).content.decode()
    assert f"{CREATE}?atelier={atelier.pk}" in html
    client.logout()
    response = login(client, partner_editor).get(url)
    assert f"{CREATE}?atelier={atelier.pk}" not in response.content.decode()


def test_anonymous_participants_for_a_collective_session(client, counsellor_a, venue_a):
    login(client, counsellor_a).post(
        CREATE,
        _form_data(
            kind=SessionKind.WORKSHOP,
            place=f"lieu-{venue_a.pk}",
            title="Atelier ouvert",
            **{"anon-70_plus-feminin": "3", "anon-nc-non_communique": "1"},
        ),
    )
    session = Session.objects.get(title="Atelier ouvert")
    counts = {(r.age_band, r.gender): r.count for r in session.anonymous_participants.all()}
    assert counts == {("70_plus", "feminin"): 3, ("nc", "non_communique"): 1}


def test_anonymous_participants_refused_for_a_drop_in(client, counsellor_a, venue_a):
    response = login(client, counsellor_a).post(
        CREATE,
        _form_data(place=f"lieu-{venue_a.pk}", title="Permanence", **{"anon-70_plus-feminin": "2"}),
    )
    assert "ne se comptent que pour un atelier collectif" in response.content.decode()
    assert not Session.objects.filter(title="Permanence").exists()
    assert not AnonymousParticipants.objects.exists()


# --- Edit ----------------------------------------------------------------------------------


def test_edit_own_session(client, counsellor_a, sessions):
    session = sessions["a"]
    response = login(client, counsellor_a).get(edit_url(session))
    assert response.status_code == 200
    assert response.context["form"].initial["duration"] == "60"
    data = _form_data(
        place=f"lieu-{session.venue_id}", title="Nouveau titre", duration="45", capacity="10"
    )
    response = client.post(edit_url(session), data)
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.title, session.duration_minutes, session.capacity) == ("Nouveau titre", 45, 10)


def test_edit_capacity_below_registrations_is_refused(client, counsellor_a, sessions):
    session = sessions["a"]
    AttendanceFactory.create_batch(3, session=session, status=AttendanceStatus.REGISTERED)
    response = login(client, counsellor_a).post(
        edit_url(session), _form_data(place=f"lieu-{session.venue_id}", capacity="2")
    )
    assert response.status_code == 200
    assert "3 personnes sont déjà inscrites" in response.content.decode()
    session.refresh_from_db()
    assert session.capacity is None


@pytest.mark.parametrize(
    ("who", "expected"),
    [("counsellor_b", 404), ("partner_editor", "refused"), (None, "login")],
)
def test_edit_refusals(client, request, sessions, who, expected):
    session = sessions["a"]
    if who:
        login(client, request.getfixturevalue(who))
    for response in (
        client.get(edit_url(session)),
        client.post(edit_url(session), _form_data(place=PlaceType.HOME, title="Piraté")),
    ):
        if expected == "refused":
            assert_refused(response)
        elif expected == "login":
            assert response.status_code == 302
            assert reverse("wagtailadmin_login") in response["Location"]
        else:
            assert response.status_code == expected
        assert "Séance-de-A" not in response.content.decode()
    session.refresh_from_db()
    assert session.title == "Séance-de-A"


def test_coordinator_edits_any_session(client, coordinator, sessions):
    session = sessions["b"]
    login(client, coordinator).post(
        edit_url(session), _form_data(place=f"lieu-{session.venue_id}", title="Par la coordination")
    )
    session.refresh_from_db()
    assert session.title == "Par la coordination"
