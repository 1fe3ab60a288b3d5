"""Taking a person off the attendance sheet from the sheet screen, as every role."""

import pytest

from learners.choices import AttendanceStatus, AuditAction
from learners.models import Attendance, AuditLog
from tests.factories.learners import AttendanceFactory, LearnerFactory, SessionFactory, level

from .test_attendance_sheet_view import login, sheet_post, sheet_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_a(structure_a, socle):
    return SessionFactory(structure=structure_a, competences=socle[:1], capacity=2)


@pytest.fixture
def odile(structure_a, session_a):
    person = LearnerFactory(structure=structure_a, first_name="Odile", last_name="Chauvet")
    AttendanceFactory(session=session_a, learner=person, status=AttendanceStatus.REGISTERED)
    return person


@pytest.fixture
def marcel(structure_a, session_a):
    person = LearnerFactory(structure=structure_a, first_name="Marcel", last_name="Guérin")
    AttendanceFactory(session=session_a, learner=person, status=AttendanceStatus.REGISTERED)
    return person


def test_remove_saves_the_other_marks_and_takes_the_line_off(
    client, counsellor_a, session_a, odile, marcel
):
    html = login(client, counsellor_a).get(sheet_url(session_a)).content.decode()
    assert f'name="remove_learner" value="{odile.pk}"' in html
    assert "Retirer Odile C. de la séance" in html
    data = sheet_post(session_a, counsellor_a, {marcel.pk: {"status": "present"}})
    data["remove_learner"] = str(odile.pk)
    response = client.post(sheet_url(session_a), data)
    assert response.status_code == 302
    statuses = dict(session_a.attendances.values_list("learner_id", "status"))
    assert statuses == {marcel.pk: AttendanceStatus.PRESENT}
    html = client.get(response["Location"]).content.decode()
    assert "Odile C. n&#x27;est plus sur la feuille de la séance." in html
    assert "Feuille enregistrée." in html
    assert f'id="ligne-{odile.pk}"' not in html
    assert AuditLog.objects.filter(learner=odile, action=AuditAction.DELETE).count() == 1


def test_a_line_with_levels_cannot_be_removed(client, counsellor_a, session_a, socle, odile):
    login(client, counsellor_a)
    marks = {odile.pk: {"status": "present", "levels": {socle[0].pk: level("socle", 2)}}}
    client.post(sheet_url(session_a), sheet_post(session_a, counsellor_a, marks))
    html = client.get(sheet_url(session_a)).content.decode()
    assert f'name="remove_learner" value="{odile.pk}"' not in html
    assert "la ligne ne peut plus être retirée" in html
    # A forged request is refused in plain French and changes nothing.
    data = sheet_post(session_a, counsellor_a, {})
    data["remove_learner"] = str(odile.pk)
    response = client.post(sheet_url(session_a), data, follow=True)
    assert response.status_code == 200
    assert "Des niveaux ont été notés pour Odile C." in response.content.decode()
    assert Attendance.objects.get(session=session_a, learner=odile).status == "present"


def test_the_line_being_removed_is_not_saved_first(client, counsellor_a, session_a, socle, odile):
    """Levels typed on the line that is removed are not recorded (then refused)."""
    marks = {odile.pk: {"status": "present", "levels": {socle[0].pk: level("socle", 2)}}}
    data = sheet_post(session_a, counsellor_a, marks)
    data["remove_learner"] = str(odile.pk)
    response = login(client, counsellor_a).post(sheet_url(session_a), data)
    assert response.status_code == 302
    assert not Attendance.objects.filter(learner=odile).exists()


def test_someone_no_longer_on_the_sheet(client, counsellor_a, session_a, structure_a):
    stranger = LearnerFactory(structure=structure_a)
    response = login(client, counsellor_a).post(
        sheet_url(session_a), {"remove_learner": str(stranger.pk)}, follow=True
    )
    assert "Cette personne n&#x27;est plus sur la feuille." in response.content.decode()


def test_coordinator_may_remove(client, coordinator, session_a, odile):
    response = login(client, coordinator).post(
        sheet_url(session_a), {"remove_learner": str(odile.pk)}
    )
    assert response.status_code == 302
    assert not Attendance.objects.filter(learner=odile).exists()


def test_other_structure_and_partner_editor_are_refused(
    client, counsellor_b, partner_editor, session_a, odile
):
    response = login(client, counsellor_b).post(
        sheet_url(session_a), {"remove_learner": str(odile.pk)}
    )
    assert response.status_code == 404
    assert "Odile" not in response.content.decode()
    response = login(client, partner_editor).post(
        sheet_url(session_a), {"remove_learner": str(odile.pk)}
    )
    assert response.status_code == 302 and "ligne" not in response["Location"]
    assert Attendance.objects.filter(learner=odile).exists()
