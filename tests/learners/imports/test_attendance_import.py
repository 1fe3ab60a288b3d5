"""Sessions with attendance: creation, round trip, matching, all or nothing, bounded queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learners.choices import AttendanceStatus, AuditAction, PlaceType, SessionKind
from learners.imports import import_job_confirm, import_job_create, import_run
from learners.models import (
    Attendance,
    AuditLog,
    ImportStatus,
    Learner,
    LearnerStructure,
    Session,
)
from learners.services.exports import export_build
from tests.factories.learners import (
    AttendanceFactory,
    LearnerFactory,
    SessionFactory,
    VenueFactory,
)

from .conftest import assert_bulk, csv_bytes, csv_rows, query_profile

pytestmark = pytest.mark.django_db

HEADER = [
    "Identifiant séance",
    "Date",
    "Heure",
    "Type de séance",
    "Intitulé",
    "Durée (minutes)",
    "Lieu",
    "Thématiques",
    "Identifiant personne",
    "Prénom",
    "Nom",
    "Année de naissance",
    "Présence",
    "Matériel",
]


@pytest.fixture
def venue(structure_a, roche):
    return VenueFactory(structure=structure_a, commune=roche, name="Médiathèque Benjamin Rabier")


def old_spreadsheet():
    """What a counsellor kept before: a session per block of rows, people by their number."""
    return [
        HEADER,
        ["S1", "12/03/2024", "14h00", "Atelier", "Créer son adresse e-mail", "90",
         "Médiathèque Benjamin Rabier", "E-mail; Bureautique", "P1", "Hélène", "Durand",
         "1948", "présent", "ordinateur"],
        ["S1", "12/03/2024", "14h00", "Atelier", "Créer son adresse e-mail", "90",
         "Médiathèque Benjamin Rabier", "E-mail; Bureautique", "P2", "Marc", "Petit", "1962",
         "absent", ""],
        ["S2", "2024-03-19", "09:30", "Permanence", "", "30", "Médiathèque Benjamin Rabier",
         "Aide aux démarches administratives; Papiers", "P1", "Hélène", "Durand", "1948",
         "x", "téléphone"],
    ]  # fmt: skip


def run(user, rows, **kwargs):
    return import_run(user=user, kind="attendance", content=csv_bytes(rows), format="csv", **kwargs)


def test_old_spreadsheet_creates_sessions_people_and_attendance(counsellor_a, venue):
    plan = run(counsellor_a, old_spreadsheet(), dry_run=False)
    assert plan.ok, [str(e) for e in plan.errors]
    assert plan.count("session", "create") == 2
    assert plan.count("person", "create") == 2
    assert plan.count("attendance", "create") == 3
    atelier = Session.objects.get(external_id="S1")
    assert atelier.kind == SessionKind.WORKSHOP and atelier.duration_minutes == 90
    assert timezone.localtime(atelier.start).replace(tzinfo=None) == datetime.datetime(
        2024, 3, 12, 14, 0
    )
    assert atelier.venue == venue and atelier.place_type == PlaceType.VENUE
    assert sorted(atelier.themes.values_list("name", flat=True)) == ["Bureautique", "E-mail"]
    assert list(atelier.counsellors.values_list("user", flat=True)) == [counsellor_a.pk]
    permanence = Session.objects.get(external_id="S2")
    assert {t.name for t in permanence.themes.all()} == {
        "Aide aux démarches administratives",
        "Papiers - Élections - Citoyenneté",  # read from its old label, « Papiers »
    }
    helene = Learner.objects.get(external_id="P1")
    assert helene.structure == atelier.structure
    assert helene.last_attended_on == datetime.date(2024, 3, 19)
    assert LearnerStructure.objects.filter(learner=helene, structure=atelier.structure).exists()
    statuses = dict(
        Attendance.objects.filter(session=atelier).values_list("learner__first_name", "status")
    )
    assert statuses == {"Hélène": AttendanceStatus.PRESENT, "Marc": AttendanceStatus.ABSENT}
    assert AuditLog.objects.filter(learner=helene, action=AuditAction.CREATE).exists()

    again = run(counsellor_a, old_spreadsheet(), dry_run=False)
    assert not again.has_changes
    assert again.count("attendance", "unchanged") == 3
    assert again.count("session", "unchanged") == 2
    assert Session.objects.count() == 2 and Learner.objects.count() == 2


def test_attendance_export_round_trip_changes_nothing(counsellor_a, venue):
    run(counsellor_a, old_spreadsheet(), dry_run=False)
    for fmt in ("csv", "xlsx"):
        exported = export_build(user=counsellor_a, kind="attendance", format=fmt).content
        plan = import_run(user=counsellor_a, kind="attendance", content=exported, format=fmt)
        assert plan.ok, [str(e) for e in plan.errors]
        assert not plan.has_changes, plan.summary()
        assert plan.count("attendance", "unchanged") == 3


def test_sessions_export_reimports_sessions_only(counsellor_a, structure_a, venue):
    SessionFactory(structure=structure_a, venue=venue, title="Atelier mots de passe")
    exported = export_build(user=counsellor_a, kind="sessions", format="csv").content
    rows = csv_rows(exported)
    rows[1][rows[0].index("Durée (minutes)")] = "120"
    plan = import_run(
        user=counsellor_a, kind="attendance", content=csv_bytes(rows), format="csv", dry_run=False
    )
    assert plan.ok, [str(e) for e in plan.errors]
    assert plan.count("session", "update") == 1
    assert "attendance" not in plan.summary()["entities"]
    assert Session.objects.get().duration_minutes == 120


def test_one_bad_date_imports_nothing_and_names_row_and_column(counsellor_a, venue):
    rows = old_spreadsheet()
    rows[3][1] = "19/13/2024"
    plan = run(counsellor_a, rows, dry_run=False)
    assert [str(e) for e in plan.errors] == [
        "Ligne 4, colonne « Date » : date non reconnue : écrivez-la 25/03/2024 (ou 2024-03-25)."
    ]
    assert not Session.objects.exists() and not Learner.objects.exists()
    assert not Attendance.objects.exists()


def test_every_error_is_reported_in_french(counsellor_a, venue):
    rows = old_spreadsheet()
    rows[1][3] = "Cours de danse"  # unknown kind
    rows[2][12] = "peut-être"  # unknown status
    rows[3][7] = "Astrologie"  # unknown theme
    plan = run(counsellor_a, rows)
    messages = [str(e) for e in plan.errors]
    assert messages[0].startswith("Ligne 2, colonne « Type de séance » : valeur inconnue")
    assert any(
        m.startswith("Ligne 4, colonne « Thématiques » : thématique inconnue") for m in messages
    )
    assert any(m.startswith("Ligne 3, colonne « Présence » : valeur inconnue") for m in messages)


def test_rows_of_one_session_must_agree(counsellor_a, venue):
    rows = old_spreadsheet()
    rows[2][5] = "60"
    plan = run(counsellor_a, rows)
    assert [str(e) for e in plan.errors] == [
        "Ligne 3, colonne « Durée (minutes) » : les informations de cette séance diffèrent de "
        "la ligne 2."
    ]


def test_people_are_matched_not_duplicated(counsellor_a, structure_a, structure_b, venue):
    mine = LearnerFactory(
        structure=structure_a, first_name="Helene", last_name="DURAND", birth_year=1948
    )
    elsewhere = LearnerFactory(
        structure=structure_b, first_name="Marc", last_name="Petit", birth_year=1962
    )
    rows = [row[:8] + [""] + row[9:] for row in old_spreadsheet()]  # no person ids
    rows[0][8] = "Identifiant personne"
    plan = run(counsellor_a, rows, dry_run=False)
    assert plan.ok, [str(e) for e in plan.errors]
    flagged = {line.label: line.flags for line in plan.flagged}
    assert "rattachée, pas de doublon" in flagged["Hélène D. (1948)"][0]
    assert "autre structure" in flagged["Marc P. (1962)"][0]
    assert Learner.objects.filter(normalized_name="helenedurand").count() == 1
    assert Attendance.objects.filter(learner=mine).count() == 2
    # Marc of the other structure is not attached (the counsellor cannot see him): a new
    # record is created and flagged for the coordination to merge.
    assert Learner.objects.filter(normalized_name="marcpetit").count() == 2
    assert not Attendance.objects.filter(learner=elsewhere).exists()
    # ...with a link request for the coordination, never a link to Marc's record.
    from learners.models import LinkRequest

    [link_request] = LinkRequest.objects.all()
    assert link_request.learner == elsewhere and link_request.structure == structure_a
    assert link_request.own_record.normalized_name == "marcpetit"
    assert link_request.own_record != elsewhere
    assert not elsewhere.structure_links.filter(structure=structure_a).exists()


def test_a_coordinator_import_never_attaches_another_structure_s_record(
    coordinator, structure_a, structure_b, venue
):
    """Rows of structure A's sessions: Marc, followed by B only, is not joined to them."""
    elsewhere = LearnerFactory(
        structure=structure_b, first_name="Marc", last_name="Petit", birth_year=1962
    )
    rows = [row[:8] + [""] + row[9:] for row in old_spreadsheet()]
    rows[0][8] = "Identifiant personne"
    plan = run(coordinator, rows, dry_run=False, structure=structure_a)
    assert plan.ok, [str(e) for e in plan.errors]
    assert not Attendance.objects.filter(learner=elsewhere).exists()
    assert Learner.objects.filter(normalized_name="marcpetit").count() == 2


def test_network_id_of_someone_out_of_scope_is_unknown(counsellor_a, structure_b, venue):
    stranger = LearnerFactory(structure=structure_b)
    rows = [HEADER + ["Identifiant réseau"], [*old_spreadsheet()[1], stranger.network_id]]
    plan = run(counsellor_a, rows)
    assert [str(e) for e in plan.errors] == [
        "Ligne 2, colonne « Identifiant réseau » : identifiant réseau inconnu dans votre suivi."
    ]


def test_counsellor_cannot_import_for_another_structure(counsellor_a, structure_b, venue):
    rows = [
        [*row, "Structure" if i == 0 else structure_b.name]
        for i, row in enumerate(old_spreadsheet())
    ]
    plan = run(counsellor_a, rows, dry_run=False)
    assert not plan.ok
    assert "vous ne pouvez importer que pour votre structure" in str(plan.errors[0])
    assert not Session.objects.exists()


def test_capacity_is_respected(counsellor_a, structure_a, venue):
    session = SessionFactory(structure=structure_a, venue=venue, external_id="S9", capacity=1)
    AttendanceFactory(session=session, status=AttendanceStatus.REGISTERED)
    rows = [
        ["Identifiant séance", "Prénom", "Nom", "Présence"],
        ["S9", "Zoé", "Roux", "inscrite"],
    ]
    plan = run(counsellor_a, rows)
    assert "la séance a 1 place et 2 personnes" in str(plan.errors[0])


def attendance_rows(count: int, start: datetime.date, prefix: str = "") -> list[list[str]]:
    """`count` rows: 10 sessions, people numbered."""
    rows = [HEADER]
    for n in range(count):
        day = start + datetime.timedelta(days=n % 10)
        rows.append(
            [f"{prefix}Q{n % 10}", day.strftime("%d/%m/%Y"), "10:00", "Atelier",
             f"Atelier {n % 10}", "60", "Médiathèque Benjamin Rabier", "E-mail",
             f"{prefix}N{n}", f"Prénom{prefix}{n}", f"Nom{n}", str(1940 + n % 60), "présent",
             "tablette"]
        )  # fmt: skip
    return rows


def test_import_queries_do_not_grow_with_rows(counsellor_a, venue, structure_a):
    def queries(count: int, prefix: str) -> tuple[int, int]:
        # A known person and a known session in each file, so every look-up really runs.
        LearnerFactory(structure=structure_a, external_id=f"{prefix}N1")
        SessionFactory(structure=structure_a, venue=venue, external_id=f"{prefix}Q1")
        content = csv_bytes(attendance_rows(count, datetime.date(2024, 1, 1), prefix))
        with CaptureQueriesContext(connection) as captured:
            plan = import_run(
                user=counsellor_a, kind="attendance", content=content, format="csv", dry_run=False
            )
        assert plan.ok, [str(e) for e in plan.errors]
        return query_profile(captured)

    queries(5, "w")  # warm the user's roles
    small, large = queries(50, "s"), queries(500, "l")
    assert_bulk(small, large, 450)
    assert large[0] <= 15


def test_people_import_queries_do_not_grow_with_rows(counsellor_a, roche):
    def queries(count: int, offset: int) -> tuple[int, int]:
        rows = [["Identifiant externe", "Prénom", "Nom", "Année de naissance", "Code INSEE"]]
        rows += [[f"E{offset + n}", f"P{offset + n}", "X", "1950", "85191"] for n in range(count)]
        with CaptureQueriesContext(connection) as captured:
            plan = import_run(
                user=counsellor_a,
                kind="people",
                content=csv_bytes(rows),
                format="csv",
                dry_run=False,
            )
        assert plan.ok, [str(e) for e in plan.errors]
        return query_profile(captured)

    queries(3, 0)  # warm the user's roles
    assert_bulk(queries(50, 1000), queries(500, 2000), 450)


def test_job_for_more_than_5000_rows_runs_as_celery_task(
    counsellor_a, venue, django_capture_on_commit_callbacks, client
):
    from django.urls import reverse

    content = csv_bytes(attendance_rows(5001, datetime.date(2024, 1, 1)))
    job = import_job_create(
        user=counsellor_a, kind="attendance", filename="gros.csv", content=content
    )
    assert job.status == ImportStatus.READY and job.total_rows == 5001
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = import_job_confirm(user=counsellor_a, job=job)
        assert job.status == ImportStatus.QUEUED  # nothing ran inside the request
        assert Attendance.objects.count() == 0
    # The task, sent after commit (eager in tests); the import it ran then refreshes the
    # public agenda (its places) after its own commit.
    assert len(callbacks) == 2 and "import_job_run" in repr(callbacks[0])
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE, job.errors
    assert (job.processed_rows, job.total_rows) == (5001, 5001)
    assert job.summary["result"]["attendance_created"] == 5001
    assert Attendance.objects.count() == 5001
    assert bytes(job.content) == b""
    client.force_login(counsellor_a)
    html = client.get(reverse("learners_import_job", kwargs={"job_id": job.pk})).content.decode()
    assert "Résultat" in html and "5001" in html
    # Running the finished job again does nothing.
    from learners.tasks import import_job_run_task

    assert import_job_run_task.apply(args=[str(job.pk)]).get() == ImportStatus.DONE
    assert Attendance.objects.count() == 5001


def test_changed_attendance_is_updated(counsellor_a, venue):
    run(counsellor_a, old_spreadsheet(), dry_run=False)
    rows = old_spreadsheet()
    rows[2][12] = "présent"
    rows[2][13] = "tablette"
    plan = run(counsellor_a, rows, dry_run=False)
    assert plan.ok and plan.count("attendance", "update") == 1
    line = next(pl for pl in plan.lines if pl.action == "update")
    assert line.changes == [
        "Présence : « Absent » → « Présent »",
        "Matériel : « — » → « Tablette »",
    ]
    marc = Attendance.objects.get(learner__first_name="Marc")
    assert (marc.status, marc.equipment) == (AttendanceStatus.PRESENT, "tablette")
    assert marc.learner.last_attended_on == datetime.date(2024, 3, 12)
    assert run(counsellor_a, rows).has_changes is False


def test_online_sign_ups_count_in_the_capacity(counsellor_a, structure_a, venue):
    from tests.factories.bookings import BookingFactory

    session = SessionFactory(
        structure=structure_a,
        venue=venue,
        external_id="S8",
        capacity=1,
        start=timezone.now() + datetime.timedelta(days=5),
    )
    BookingFactory(session=session, phone="+33612345601")
    rows = [
        ["Identifiant séance", "Prénom", "Nom", "Présence"],
        ["S8", "Zoé", "Roux", "inscrite"],
    ]
    plan = run(counsellor_a, rows)
    assert "la séance a 1 place et 2 personnes" in str(plan.errors[0])


def test_a_line_no_longer_registered_offers_its_place(counsellor_a, structure_a, venue):
    from learners.models import BookingStatus
    from tests.factories.bookings import BookingFactory

    session = SessionFactory(
        structure=structure_a,
        venue=venue,
        external_id="S7",
        capacity=1,
        is_published=True,
        start=timezone.now() + datetime.timedelta(days=5),
    )
    person = LearnerFactory(structure=structure_a, first_name="Zoé", last_name="Roux")
    AttendanceFactory(session=session, learner=person, status=AttendanceStatus.REGISTERED)
    waiting = BookingFactory(session=session, phone="+33612345601", status=BookingStatus.WAITING)
    rows = [
        ["Identifiant séance", "Identifiant réseau", "Prénom", "Nom", "Présence"],
        ["S7", person.network_id, "Zoé", "Roux", "excusée"],
    ]
    plan = run(counsellor_a, rows, dry_run=False)
    assert plan.ok, [str(e) for e in plan.errors]
    assert Attendance.objects.get(learner=person).status == AttendanceStatus.EXCUSED
    waiting.refresh_from_db()
    assert waiting.status == BookingStatus.OFFERED
