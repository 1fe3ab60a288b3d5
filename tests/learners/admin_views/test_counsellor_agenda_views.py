"""The counsellor's side of the public agenda, as every role: cycles, cancel and move,
online sign-ups on the sheet (« Présent »), the printable sign-in sheet, the lists of
sign-ups and appointment requests."""

import datetime
import re

import pytest
from celery import current_app
from django.urls import reverse
from django.utils import timezone

from learners.choices import AttendanceStatus, SessionKind
from learners.models import (
    AppointmentRequest,
    AppointmentRequestStatus,
    Attendance,
    AuditLog,
    BookingStatus,
    Learner,
    Session,
    SessionSeries,
)
from learners.roles import roles_cache_clear
from tests.factories.bookings import BookingFactory
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    VenueFactory,
    at,
    counsellor_user,
)
from tests.learners.booking_helpers import RecordedTask

pytestmark = pytest.mark.django_db


def login(client, user):
    roles_cache_clear(user)
    client.force_login(user)
    return client


def assert_refused(response):
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def assert_login_redirect(response):
    assert response.status_code == 302
    assert reverse("wagtailadmin_login") in response["Location"]


@pytest.fixture
def notices():
    recorded = RecordedTask()
    previous = current_app.tasks.get("learners.booking_notices")
    current_app.tasks["learners.booking_notices"] = recorded
    yield recorded
    if previous is None:
        current_app.tasks.pop("learners.booking_notices", None)
    else:
        current_app.tasks["learners.booking_notices"] = previous


@pytest.fixture
def venue_a(structure_a):
    return VenueFactory(structure=structure_a, name="Médiathèque")


@pytest.fixture
def session_a(structure_a, venue_a):
    day = timezone.localdate() + datetime.timedelta(days=4)
    return SessionFactory(
        structure=structure_a,
        venue=venue_a,
        kind=SessionKind.WORKSHOP,
        title="Mes e-mails",
        start=at(day, 14),
        capacity=6,
        is_published=True,
    )


def first_tuesday() -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)


def series_post(venue, **extra):
    data = {
        "kind": SessionKind.WORKSHOP,
        "title": "Découvrir la tablette",
        "place": f"lieu-{venue.pk}",
        "date": first_tuesday().isoformat(),
        "time": "14:00",
        "duration": "120",
        "capacity": "8",
        "waitlist_capacity": "4",
        "is_published": "on",
        "rhythm": "1",
        "count": "6",
        "signup_scope": "cycle",
    }
    data.update(extra)
    return data


# --- Cycles ---------------------------------------------------------------------------------


def test_counsellor_creates_a_six_week_cycle(client, counsellor_a, venue_a):
    response = login(client, counsellor_a).post(
        reverse("learners_series_create"), series_post(venue_a)
    )
    assert response.status_code == 302
    series = SessionSeries.objects.get()
    sessions = list(series.sessions.order_by("start"))
    assert len(sessions) == 6 and series.signup_scope == "cycle"
    assert all(s.is_published and s.capacity == 8 and s.waitlist_capacity == 4 for s in sessions)
    listing = client.get(reverse("learners_sessions")).content.decode()
    assert "Cycle : Découvrir la tablette" in listing


def test_cycle_from_a_list_of_dates_with_a_bad_one_creates_nothing(client, counsellor_a, venue_a):
    response = login(client, counsellor_a).post(
        reverse("learners_series_create"),
        series_post(venue_a, rhythm="dates", dates="12/03/2030\n31/02/2030"),
    )
    assert response.status_code == 200
    assert "« 31/02/2030 » n&#x27;est pas une date" in response.content.decode()
    assert not Session.objects.exists()


def test_cycle_with_a_past_date_says_so_and_creates_nothing(client, counsellor_a, venue_a):
    past = (timezone.localdate() - datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    response = login(client, counsellor_a).post(
        reverse("learners_series_create"),
        series_post(venue_a, rhythm="dates", dates=f"{past}\n12/03/2030"),
    )
    assert response.status_code == 200
    assert "déjà passé" in response.content.decode()
    assert not Session.objects.exists()


def test_cycle_form_refuses_another_structure_s_venue(client, counsellor_a, structure_b):
    other = VenueFactory(structure=structure_b)
    response = login(client, counsellor_a).post(
        reverse("learners_series_create"), series_post(other)
    )
    assert response.status_code == 200
    assert not Session.objects.exists()


@pytest.mark.parametrize("who", ["partner_editor", None])
def test_cycle_refused_to_partner_editor_and_anonymous(client, request, venue_a, who):
    if who:
        login(client, request.getfixturevalue(who))
    check = assert_refused if who else assert_login_redirect
    check(client.get(reverse("learners_series_create")))
    check(client.post(reverse("learners_series_create"), series_post(venue_a)))
    assert not Session.objects.exists()


# --- Cancel and move --------------------------------------------------------------------------


def test_counsellor_cancels_and_everyone_is_told(
    client, counsellor_a, session_a, notices, django_capture_on_commit_callbacks
):
    booking = BookingFactory(session=session_a, phone="+33612345678")
    login(client, counsellor_a)
    form = client.get(reverse("learners_session_cancel", args=[session_a.pk])).content.decode()
    assert "1 inscription en ligne sera prévenue" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("learners_session_cancel", args=[session_a.pk]),
            {"reason": "La conseillère est malade"},
        )
    assert response.status_code == 302
    session_a.refresh_from_db()
    assert session_a.is_cancelled
    assert notices.calls == [
        {
            "booking_ids": [booking.pk],
            "kind": "annulation",
            "reason": "La conseillère est malade",
            "change": session_a.updated_at.isoformat(),
        }
    ]
    sheet = client.get(reverse("learners_attendance_sheet", args=[session_a.pk])).content.decode()
    assert "Séance annulée" in sheet and "La conseillère est malade" in sheet
    listing = client.get(reverse("learners_sessions")).content.decode()
    assert "Annulée" in listing


def test_cancel_without_reason_shows_the_error_and_changes_nothing(
    client, counsellor_a, session_a, notices
):
    response = login(client, counsellor_a).post(
        reverse("learners_session_cancel", args=[session_a.pk]), {"reason": ""}
    )
    assert response.status_code == 200
    assert "Indiquez la raison" in response.content.decode()
    session_a.refresh_from_db()
    assert not session_a.is_cancelled and notices.calls == []


def test_cancel_and_move_of_another_structure_are_404(client, counsellor_b, session_a, notices):
    login(client, counsellor_b)
    for name in ("learners_session_cancel", "learners_session_move"):
        url = reverse(name, args=[session_a.pk])
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"reason": "x", "date": "2030-01-01", "time": "10:00"}).status_code
            == 404
        )
    session_a.refresh_from_db()
    assert not session_a.is_cancelled


@pytest.mark.parametrize("who", ["partner_editor", None])
def test_cancel_refused_to_partner_editor_and_anonymous(client, request, session_a, who, notices):
    if who:
        login(client, request.getfixturevalue(who))
    check = assert_refused if who else assert_login_redirect
    check(client.post(reverse("learners_session_cancel", args=[session_a.pk]), {"reason": "x"}))
    session_a.refresh_from_db()
    assert not session_a.is_cancelled


def test_coordinator_and_structure_manager_move_a_session(
    client, coordinator, structure_a, session_a, notices, django_capture_on_commit_callbacks
):
    booking = BookingFactory(session=session_a, phone="")
    manager = counsellor_user(structure=structure_a, manager=True)
    new_day = timezone.localtime(session_a.start).date() + datetime.timedelta(days=7)
    for user, hour in ((coordinator, "10:00"), (manager, "11:00")):
        login(client, user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("learners_session_move", args=[session_a.pk]),
                {"date": new_day.isoformat(), "time": hour, "reason": "Travaux dans la salle"},
            )
        assert response.status_code == 302
    session_a.refresh_from_db()
    assert timezone.localtime(session_a.start).hour == 11
    assert [c["kind"] for c in notices.calls] == ["deplacement", "deplacement"]
    assert all(c["booking_ids"] == [booking.pk] for c in notices.calls)


# --- « Présent » on an online sign-up ---------------------------------------------------------


def test_sheet_lists_sign_ups_then_the_waiting_list_with_rank(client, counsellor_a, session_a):
    BookingFactory(session=session_a, phone="", first_name="Josiane")
    BookingFactory(session=session_a, phone="", first_name="Marcel", status=BookingStatus.WAITING)
    BookingFactory(session=session_a, phone="", first_name="Ginette", status=BookingStatus.WAITING)
    page = login(client, counsellor_a).get(
        reverse("learners_attendance_sheet", args=[session_a.pk])
    )
    content = page.content.decode()
    assert "Inscriptions en ligne" in content
    assert content.index("Josiane") < content.index("1. Marcel") < content.index("2. Ginette")


def test_sheet_with_sign_ups_keeps_its_query_count(
    client, counsellor_a, structure_a, django_assert_max_num_queries
):
    counts = []
    for people in (2, 10):
        session = SessionFactory(structure=structure_a)
        for index in range(people):
            BookingFactory(session=session, phone="", first_name=f"P{index}")
        login(client, counsellor_a)
        with django_assert_max_num_queries(30) as ctx:
            assert (
                client.get(reverse("learners_attendance_sheet", args=[session.pk])).status_code
                == 200
            )
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_present_links_the_one_precise_match(client, counsellor_a, session_a):
    josiane = LearnerFactory(
        structure=session_a.structure, first_name="Josiane", phone="06 12 34 56 78"
    )
    booking = BookingFactory(session=session_a, first_name="Josiane", phone="+33612345678")
    response = login(client, counsellor_a).post(
        reverse("learners_booking_checkin", args=[booking.pk])
    )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.learner_id == josiane.pk
    assert booking.attendance.status == AttendanceStatus.PRESENT
    assert Learner.objects.count() == 1


def test_present_without_precise_match_asks_who_then_links_the_one_picked(
    client, counsellor_a, session_a
):
    a = LearnerFactory(structure=session_a.structure, first_name="Josiane", last_name="Martin")
    LearnerFactory(structure=session_a.structure, first_name="Josiane", last_name="Durand")
    LearnerFactory(first_name="Josiane", last_name="Secret")  # another structure's
    booking = BookingFactory(session=session_a, phone="", first_name="Josiane")
    login(client, counsellor_a)
    response = client.post(reverse("learners_booking_checkin", args=[booking.pk]))
    assert response["Location"] == reverse("learners_booking_pick", args=[booking.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Josiane M." in page and "Josiane D." in page and "Secret" not in page
    assert "nouvelle-personne" in page and f"inscription={booking.pk}" in page
    client.post(reverse("learners_booking_pick", args=[booking.pk]), {"learner_id": a.pk})
    booking.refresh_from_db()
    assert booking.learner_id == a.pk and Attendance.objects.get().learner_id == a.pk
    assert Learner.objects.count() == 3


def test_new_person_from_a_sign_up_is_created_present(client, counsellor_a, session_a):
    booking = BookingFactory(session=session_a, phone="", first_name="Huguette")
    url = reverse("learners_attendance_new_person", args=[session_a.pk])
    login(client, counsellor_a)
    response = client.post(
        url,
        {
            "inscription": booking.pk,
            "first_name": "Huguette",
            "last_name": "Blanchard",
            "birth_year": "1950",
            "informed": "on",
        },
    )
    assert response.status_code == 302
    learner = Learner.objects.get()
    booking.refresh_from_db()
    assert booking.learner_id == learner.pk
    assert Attendance.objects.get().status == AttendanceStatus.PRESENT


def test_present_on_another_structure_s_sign_up_is_404(client, counsellor_b, session_a):
    booking = BookingFactory(session=session_a, phone="")
    login(client, counsellor_b)
    assert client.post(reverse("learners_booking_checkin", args=[booking.pk])).status_code == 404
    assert client.get(reverse("learners_booking_pick", args=[booking.pk])).status_code == 404
    url = reverse("learners_attendance_new_person", args=[session_a.pk])
    assert client.get(f"{url}?inscription={booking.pk}").status_code == 404
    assert not Attendance.objects.exists()


def test_picking_a_record_out_of_scope_is_refused(client, counsellor_a, session_a):
    stranger = LearnerFactory()
    booking = BookingFactory(session=session_a, phone="")
    login(client, counsellor_a).post(
        reverse("learners_booking_pick", args=[booking.pk]), {"learner_id": stranger.pk}
    )
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("who", ["partner_editor", None])
def test_present_refused_to_partner_editor_and_anonymous(client, request, session_a, who):
    booking = BookingFactory(session=session_a, phone="")
    if who:
        login(client, request.getfixturevalue(who))
    check = assert_refused if who else assert_login_redirect
    check(client.post(reverse("learners_booking_checkin", args=[booking.pk])))
    assert not Attendance.objects.exists()


# --- The printable sign-in sheet --------------------------------------------------------------


def test_signin_sheet_lists_registered_and_signed_up_then_blank_lines(
    client, counsellor_a, session_a, django_assert_max_num_queries
):
    learner = LearnerFactory(structure=session_a.structure, first_name="Paul", last_name="Roy")
    AttendanceFactory(session=session_a, learner=learner, status=AttendanceStatus.REGISTERED)
    BookingFactory(session=session_a, phone="", first_name="Josiane")
    BookingFactory(session=session_a, phone="", first_name="Attente", status=BookingStatus.WAITING)
    login(client, counsellor_a)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("learners_signin_sheet", args=[session_a.pk]))
    content = response.content.decode()
    assert "Roy" in content and "Josiane" in content and "Attente" not in content
    assert "Mairie de Landeronde" in content and "Médiathèque" in content
    # 2 people, capacity 6: 4 blank lines; a line per person plus the header.
    assert content.count("<tr>") == 1 + 2 + 4
    assert AuditLog.objects.filter(learner=learner, action="read").exists()


def test_signin_sheets_of_a_cycle_one_page_per_session(client, counsellor_a, venue_a):
    login(client, counsellor_a).post(reverse("learners_series_create"), series_post(venue_a))
    series = SessionSeries.objects.get()
    content = client.get(reverse("learners_series_signin_sheet", args=[series.pk])).content.decode()
    assert content.count('class="sheet"') == 6


def test_signin_sheet_of_another_structure_is_404(client, counsellor_b, session_a):
    login(client, counsellor_b)
    assert client.get(reverse("learners_signin_sheet", args=[session_a.pk])).status_code == 404


@pytest.mark.parametrize("who", ["partner_editor", None])
def test_signin_sheet_refused_to_partner_editor_and_anonymous(client, request, session_a, who):
    if who:
        login(client, request.getfixturevalue(who))
    response = client.get(reverse("learners_signin_sheet", args=[session_a.pk]))
    if who:
        assert response.status_code in (302, 403)
        assert "Médiathèque" not in response.content.decode()
    else:
        assert_login_redirect(response)


# --- Lists ------------------------------------------------------------------------------------


def test_sign_up_list_is_scoped_and_audited(
    client, counsellor_a, counsellor_b, coordinator, session_a
):
    booking = BookingFactory(session=session_a, first_name="Josiane", phone="+33612345678")
    assert (
        "Josiane" in login(client, counsellor_a).get(reverse("learners_bookings")).content.decode()
    )
    assert AuditLog.objects.filter(action="read", detail__startswith=f"inscription:{booking.pk} ;")
    assert (
        "Josiane"
        not in login(client, counsellor_b).get(reverse("learners_bookings")).content.decode()
    )
    assert (
        "Josiane" in login(client, coordinator).get(reverse("learners_bookings")).content.decode()
    )


def test_appointment_requests_marked_handled_by_the_structure_only(
    client, counsellor_a, counsellor_b, venue_a
):
    request = AppointmentRequest.objects.create(
        venue=venue_a, token="t" * 40, first_name="Gisèle", phone="+33612345678"
    )
    url = reverse("learners_appointment_requests")
    assert "Gisèle" not in login(client, counsellor_b).get(url).content.decode()
    client.post(url, {"handled": request.pk})
    request.refresh_from_db()
    assert request.status == AppointmentRequestStatus.NEW
    assert "Gisèle" in login(client, counsellor_a).get(url).content.decode()
    client.post(url, {"handled": request.pk})
    request.refresh_from_db()
    assert request.status == AppointmentRequestStatus.HANDLED
    assert request.handled_by == counsellor_a


@pytest.mark.parametrize("who", ["partner_editor", None])
def test_lists_refused_to_partner_editor_and_anonymous(client, request, who):
    if who:
        login(client, request.getfixturevalue(who))
    check = assert_refused if who else assert_login_redirect
    check(client.get(reverse("learners_bookings")))
    check(client.get(reverse("learners_appointment_requests")))


def test_list_and_sheet_count_online_sign_ups_in_the_places(client, counsellor_a, session_a):
    AttendanceFactory(session=session_a, status=AttendanceStatus.REGISTERED)
    BookingFactory(session=session_a, phone="", first_name="Josiane")
    BookingFactory(session=session_a, phone="", first_name="Marcel", status=BookingStatus.WAITING)
    login(client, counsellor_a)
    listing = client.get(reverse("learners_sessions")).content.decode()
    assert "2 inscrits / 6 places" in listing and "1 en attente" in listing
    sheet = client.get(reverse("learners_attendance_sheet", args=[session_a.pk])).content.decode()
    assert "2 inscrits / 6 places (4 libres)" in sheet


def test_present_on_a_sign_up_made_with_a_carnet_links_that_record(
    client, counsellor_a, session_a, structure_b
):
    """The person signed up with their carnet: their record (here another structure's)
    is the one marked present, and it becomes followed by this structure (linking is not
    reading: the sheet shows the name only)."""
    elsewhere = LearnerFactory(structure=structure_b, first_name="Odette")
    booking = BookingFactory(session=session_a, phone="", first_name="Odette", learner=elsewhere)
    login(client, counsellor_a).post(reverse("learners_booking_checkin", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.attendance.learner_id == elsewhere.pk
    assert Learner.objects.count() == 1
    assert elsewhere.structure_links.filter(structure=session_a.structure).exists()


def _session_form(venue, **extra):
    day = timezone.localdate() + datetime.timedelta(days=2)
    data = {
        "kind": SessionKind.WORKSHOP,
        "place": f"lieu-{venue.pk}",
        "date": day.isoformat(),
        "time": "14:00",
        "duration": "120",
        "capacity": "10",
        "waitlist_capacity": "5",
        "is_published": "on",
        "what_to_bring": "Votre téléphone chargé",
        "accessibility_note": "Salle à l'étage, ascenseur",
    }
    data.update(extra)
    return data


def test_session_form_sets_the_agenda_fields(client, counsellor_a, venue_a):
    from tests.factories.workshops import audience

    seniors = audience("seniors")
    login(client, counsellor_a)
    new = client.get(reverse("learners_session_create")).content.decode()
    box = re.search(r'<input[^>]*name="is_published"[^>]*>', new).group(0)
    assert "checked" in box  # published by default
    response = client.post(
        reverse("learners_session_create"),
        _session_form(venue_a, title="Agenda", audiences=[seniors.pk]),
    )
    assert response.status_code == 302
    session = Session.objects.get(title="Agenda")
    assert session.is_published and session.waitlist_capacity == 5
    assert session.what_to_bring == "Votre téléphone chargé"
    assert list(session.audiences.all()) == [seniors]
    edit = client.get(reverse("learners_session_edit", args=[session.pk])).content.decode()
    assert "Salle à l&#x27;étage, ascenseur" in edit


def test_an_individual_appointment_from_the_form_stays_out_of_the_agenda(
    client, counsellor_a, venue_a
):
    login(client, counsellor_a).post(
        reverse("learners_session_create"),
        _session_form(venue_a, kind=SessionKind.INDIVIDUAL, title="RDV"),
    )
    assert Session.objects.get(title="RDV").is_published is False


def test_every_read_of_sign_ups_is_audited_per_row_and_in_the_contact_export(
    client, counsellor_a, coordinator, session_a, venue_a, django_assert_max_num_queries
):
    """The attendance sheet, the sign-in sheet, the list of sign-ups and the appointment
    requests each write one row per sign-up or request shown (ids only); the person's
    export by phone number lists them all."""
    from learners.selectors.bookings_privacy import contact_data_export, contact_parse

    phone = "+33612345678"
    booking = BookingFactory(session=session_a, first_name="Josiane", phone=phone)
    waiting = BookingFactory(
        session=session_a, phone="", first_name="Marcel", status=BookingStatus.WAITING
    )
    request = AppointmentRequest.objects.create(
        venue=venue_a, token="t" * 40, first_name="Gisèle", phone=phone
    )
    login(client, counsellor_a)
    for url in (
        reverse("learners_attendance_sheet", args=[session_a.pk]),
        reverse("learners_signin_sheet", args=[session_a.pk]),
        reverse("learners_bookings"),
        reverse("learners_appointment_requests"),
    ):
        assert client.get(url).status_code == 200
    tag = f"inscription:{booking.pk} ;"
    details = list(AuditLog.objects.filter(action="read").values_list("detail", flat=True))
    assert sum(d.startswith(tag) for d in details) == 3  # sheet, sign-in sheet, list
    assert any("feuille d'émargement" in d for d in details if d.startswith(tag))
    assert sum(d.startswith(f"inscription:{waiting.pk} ;") for d in details) == 2  # not printed
    assert sum(d.startswith(f"demande-rdv:{request.pk} ;") for d in details) == 1
    assert not any("Josiane" in d or phone in d for d in details)
    entries = contact_data_export(user=coordinator, contact=contact_parse(phone=phone))[
        "journal_des_acces"
    ]
    assert len(entries) == 4


def test_check_in_of_a_sign_up_is_audited_on_the_sign_up(client, counsellor_a, session_a):
    josiane = LearnerFactory(
        structure=session_a.structure, first_name="Josiane", phone="06 12 34 56 78"
    )
    booking = BookingFactory(session=session_a, first_name="Josiane", phone="+33612345678")
    login(client, counsellor_a).post(reverse("learners_booking_checkin", args=[booking.pk]))
    row = AuditLog.objects.get(action="update", detail__startswith=f"inscription:{booking.pk} ;")
    assert row.learner_id == josiane.pk and "pointée présente" in row.detail


def test_phones_read_as_people_write_them_on_the_sheet_and_the_lists(
    client, counsellor_a, session_a, venue_a
):
    BookingFactory(session=session_a, first_name="Josiane", phone="+33612345678")
    AppointmentRequest.objects.create(
        venue=venue_a, token="t" * 40, first_name="Gisèle", phone="+33698765432"
    )
    login(client, counsellor_a)
    sheet = client.get(reverse("learners_attendance_sheet", args=[session_a.pk])).content.decode()
    listing = client.get(reverse("learners_bookings")).content.decode()
    requests = client.get(reverse("learners_appointment_requests")).content.decode()
    assert "06 12 34 56 78" in sheet and "06 12 34 56 78" in listing
    assert "06 98 76 54 32" in requests
    assert "+33612345678" not in sheet + listing


# --- « Désinscrire » ------------------------------------------------------------------------


def test_counsellor_unregisters_a_sign_up_the_person_is_told_and_the_place_offered(
    client, counsellor_a, session_a, notices, django_capture_on_commit_callbacks
):
    session_a.capacity = 1
    session_a.save()
    booking = BookingFactory(session=session_a, first_name="Josiane", phone="+33612345678")
    waiting = BookingFactory(
        session=session_a, phone="", first_name="Marcel", status=BookingStatus.WAITING
    )
    login(client, counsellor_a)
    sheet = client.get(reverse("learners_attendance_sheet", args=[session_a.pk])).content.decode()
    assert reverse("learners_booking_unregister", args=[booking.pk]) in sheet
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("learners_booking_unregister", args=[booking.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith("#inscriptions-en-ligne")
    booking.refresh_from_db()
    waiting.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.cancelled_by == "structure"
    assert waiting.status in (BookingStatus.OFFERED, BookingStatus.CONFIRMED)
    told = [call for call in notices.calls if call["kind"] == "desinscription"]
    assert told and told[0]["booking_ids"] == [booking.pk]
    assert AuditLog.objects.filter(
        action="update", detail__startswith=f"inscription:{booking.pk} ; désinscription"
    ).exists()
    # Again: already cancelled, said plainly, nothing more.
    again = client.post(reverse("learners_booking_unregister", args=[booking.pk]), follow=True)
    assert "déjà annulée" in again.content.decode()


def test_unregister_from_the_list_comes_back_to_the_list(client, counsellor_a, session_a, notices):
    booking = BookingFactory(session=session_a, phone="", first_name="Josiane")
    login(client, counsellor_a)
    assert reverse("learners_booking_unregister", args=[booking.pk]) in (
        client.get(reverse("learners_bookings")).content.decode()
    )
    response = client.post(
        reverse("learners_booking_unregister", args=[booking.pk]), {"next": "liste"}
    )
    assert response["Location"] == reverse("learners_bookings")


def test_another_structure_cannot_unregister(client, counsellor_b, session_a, notices):
    booking = BookingFactory(session=session_a, phone="", first_name="Josiane")
    login(client, counsellor_b)
    assert client.post(reverse("learners_booking_unregister", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED and notices.calls == []


@pytest.mark.parametrize("who", ["partner_editor", None])
def test_unregister_refused_to_partner_editor_and_anonymous(
    client, request, session_a, who, notices
):
    booking = BookingFactory(session=session_a, phone="", first_name="Josiane")
    if who:
        login(client, request.getfixturevalue(who))
    response = client.post(reverse("learners_booking_unregister", args=[booking.pk]))
    if who:
        assert_refused(response)
    else:
        assert_login_redirect(response)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_coordinator_unregisters_any_structure_s_sign_up(client, coordinator, session_a, notices):
    booking = BookingFactory(session=session_a, phone="", first_name="Josiane")
    login(client, coordinator).post(reverse("learners_booking_unregister", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


@pytest.mark.parametrize("odd", ["²", "١٢", "1\x00", "9" * 40])
def test_odd_ids_in_parameters_are_refused_quietly_never_a_500(
    client, counsellor_a, session_a, venue_a, odd
):
    booking = BookingFactory(session=session_a, phone="")
    login(client, counsellor_a)
    pick = client.post(reverse("learners_booking_pick", args=[booking.pk]), {"learner_id": odd})
    assert pick.status_code == 302
    handled = client.post(reverse("learners_appointment_requests"), {"handled": odd})
    assert handled.status_code == 302
    new_person = reverse("learners_attendance_new_person", args=[session_a.pk])
    assert client.get(new_person, {"inscription": odd}).status_code == 200
    assert client.get(reverse("learners_session_create"), {"atelier": odd}).status_code == 200
    assert not Attendance.objects.exists()


def test_staff_counts_agree_in_number_and_say_aucun_for_zero(client, counsellor_a, session_a):
    login(client, counsellor_a)
    sheet_url = reverse("learners_attendance_sheet", args=[session_a.pk])
    sheet = " ".join(client.get(sheet_url).content.decode().split())
    assert "Aucun inscrit / 6 places (6 libres)" in sheet
    assert "aucun présent" in sheet and "0 présents" not in sheet
    BookingFactory(session=session_a, phone="", first_name="Josiane")
    listing = " ".join(client.get(reverse("learners_sessions")).content.decode().split())
    assert "1 inscrit / 6 places" in listing and "1 inscrits" not in listing
    sheet = " ".join(client.get(sheet_url).content.decode().split())
    assert "1 inscrit / 6 places (5 libres)" in sheet


def test_first_names_take_french_elision_on_staff_pages(client, counsellor_a, session_a, venue_a):
    booking = BookingFactory(session=session_a, phone="", first_name="Aurélie")
    LearnerFactory(structure=session_a.structure, first_name="Aurélie", last_name="Martin")
    LearnerFactory(structure=session_a.structure, first_name="Aurélie", last_name="Durand")
    login(client, counsellor_a)
    page = client.get(reverse("learners_booking_pick", args=[booking.pk])).content.decode()
    assert "au prénom « Aurélie »" in page
    request = AppointmentRequest.objects.create(
        venue=venue_a, token="u" * 40, first_name="Aurélie", phone="+33612345678"
    )
    response = client.post(
        reverse("learners_appointment_requests"), {"handled": request.pk}, follow=True
    )
    assert "Demande d&#x27;Aurélie marquée traitée." in response.content.decode()
