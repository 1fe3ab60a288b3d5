"""The dashboard's copies of each person's dates on their structure links
(learners/services/activity.py). Every service test also checks them afterwards
(conftest.py)."""

import datetime

import pytest

from learners.models import LearnerStructure
from learners.selectors import counsellor_dashboard
from learners.services import (
    SheetRow,
    attendance_sheet_save,
    carnet_issue,
    observation_record,
    session_update,
)
from learners.services.activity import structure_links_out_of_date, structure_links_refresh
from learners.services.linking import learner_link_with_carnet_code
from learners.services.privacy import learner_anonymize
from tests.factories.learners import LearnerFactory, SessionFactory, at, level, observe

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 6, 18)


def links_of(learner):
    return {
        link.structure_id: (link.last_attended_on, link.last_progress_on, link.last_stuck_on)
        for link in LearnerStructure.objects.filter(learner=learner)
    }


def test_every_structure_of_a_person_gets_the_dates(
    counsellor_a, counsellor_b, structure_a, structure_b, socle
):
    person = LearnerFactory(
        structure=structure_a, first_name="Odette", last_name="Roy", birth_year=1950
    )
    learner_link_with_carnet_code(
        user=counsellor_b, code=carnet_issue(user=counsellor_a, learner=person)
    )
    session_b = SessionFactory(structure=structure_b, start=at(TODAY - datetime.timedelta(days=62)))
    attendance_sheet_save(user=counsellor_b, session=session_b, rows=[SheetRow(person.pk)])
    day = session_b.local_date
    assert links_of(person) == {
        structure_a.pk: (day, None, None),
        structure_b.pk: (day, None, None),
    }
    for offset in (1, 2, 3, 4):
        observe(counsellor_a, person, socle[0], 1, day + datetime.timedelta(days=offset))
    stuck_on = day + datetime.timedelta(days=4)
    assert set(links_of(person).values()) == {(day, None, stuck_on)}
    # Both counsellors see the person stopped coming, and stuck.
    for user in (counsellor_a, counsellor_b):
        dashboard = counsellor_dashboard(user=user, today=TODAY)
        assert [s.learner.pk for s in dashboard.stuck] == [person.pk]
        assert [learner.pk for learner in dashboard.stopped] == [person.pk]


def test_moving_a_session_moves_the_copies(counsellor_a, structure_a):
    person = LearnerFactory(structure=structure_a)
    session = SessionFactory(structure=structure_a, start=at(TODAY - datetime.timedelta(days=5)))
    attendance_sheet_save(user=counsellor_a, session=session, rows=[SheetRow(person.pk)])
    earlier = TODAY - datetime.timedelta(days=90)
    session_update(user=counsellor_a, session=session, data={"start": at(earlier)})
    person.refresh_from_db()
    assert person.last_attended_on == earlier
    assert links_of(person) == {structure_a.pk: (earlier, None, None)}
    assert counsellor_dashboard(user=counsellor_a, today=TODAY).stopped_count == 1


def test_anonymised_people_leave_every_list(counsellor_a, coordinator, structure_a, socle):
    person = LearnerFactory(structure=structure_a)
    session = SessionFactory(
        structure=structure_a,
        start=at(TODAY - datetime.timedelta(days=80)),
        competences=[socle[0]],
    )
    attendance_sheet_save(
        user=counsellor_a,
        session=session,
        rows=[SheetRow(person.pk, levels={socle[0].pk: level("socle", 2).pk})],
    )
    assert counsellor_dashboard(user=counsellor_a, today=TODAY).stopped_count == 1
    # Progress this month on one competence, no gain after 4 observations on another.
    observe(counsellor_a, person, socle[0], 3, TODAY - datetime.timedelta(days=5))
    for day in (1, 8, 15, 16):
        observe(counsellor_a, person, socle[1], 1, datetime.date(2025, 6, day))
    for user in (counsellor_a, coordinator):
        dashboard = counsellor_dashboard(user=user, today=TODAY)
        assert (dashboard.stopped_count, dashboard.progressed_count) == (1, 1)
        assert [s.learner.pk for s in dashboard.stuck] == [person.pk]
    learner_anonymize(user=counsellor_a, learner=person)
    assert links_of(person) == {structure_a.pk: (None, None, None)}
    for user in (counsellor_a, coordinator):
        dashboard = counsellor_dashboard(user=user, today=TODAY)
        counts = (dashboard.stopped_count, dashboard.progressed_count, dashboard.stuck_count)
        assert counts == (0, 0, 0)


def test_a_person_recognised_by_another_structure_brings_their_dates(
    counsellor_a, counsellor_b, structure_a, structure_b
):
    person = LearnerFactory(
        structure=structure_a, first_name="Gisèle", last_name="Martin", birth_year=1948
    )
    session = SessionFactory(structure=structure_a, start=at(TODAY - datetime.timedelta(days=100)))
    attendance_sheet_save(user=counsellor_a, session=session, rows=[SheetRow(person.pk)])
    learner_link_with_carnet_code(
        user=counsellor_b, code=carnet_issue(user=counsellor_a, learner=person)
    )
    assert links_of(person)[structure_b.pk] == (session.local_date, None, None)


def test_a_full_refresh_repairs_copies_written_behind_its_back(counsellor_a, structure_a):
    person = LearnerFactory(structure=structure_a)
    session = SessionFactory(structure=structure_a, start=at(TODAY - datetime.timedelta(days=3)))
    attendance_sheet_save(user=counsellor_a, session=session, rows=[SheetRow(person.pk)])
    LearnerStructure.objects.update(last_attended_on=None, last_progress_on=TODAY)
    assert len(structure_links_out_of_date()) == 1
    assert structure_links_refresh() == 1
    assert structure_links_out_of_date() == []


def test_the_full_refresh_agrees_with_the_per_person_one(counsellor_a, structure_a, socle):
    """`structure_links_refresh()` (set-based) and the per-person refresh give the same
    dates: stuck below the top level or at it, progress, no summary, anonymised."""
    day = TODAY - datetime.timedelta(days=20)

    def observe_days(person, rank, count, competence=socle[0]):
        for offset in range(count):
            observe(counsellor_a, person, competence, rank, day + datetime.timedelta(days=offset))

    stuck, at_top, progressing, silent, gone = (
        LearnerFactory(structure=structure_a) for _ in range(5)
    )
    observe_days(stuck, 1, 4)
    observe_days(stuck, 0, 1, competence=socle[1])
    top = max(lv.rank for lv in socle[0].framework.levels.all())
    observe_days(at_top, top, 4)
    observe_days(progressing, 0, 1)
    observe_days(progressing, 2, 1)
    session = SessionFactory(structure=structure_a, start=at(day))
    attendance_sheet_save(
        user=counsellor_a, session=session, rows=[SheetRow(p.pk) for p in (silent, gone)]
    )
    observe_days(gone, 1, 4)
    learner_anonymize(user=counsellor_a, learner=gone)
    expected = {p.pk: links_of(p) for p in (stuck, at_top, progressing, silent, gone)}
    assert expected[stuck.pk][structure_a.pk][2] == day + datetime.timedelta(days=3)
    assert expected[at_top.pk][structure_a.pk][2] is None
    LearnerStructure.objects.update(
        last_attended_on=TODAY, last_progress_on=TODAY, last_stuck_on=TODAY
    )
    assert structure_links_refresh() == 5
    assert {p: links_of(p) for p in expected} == expected


def test_progress_dated_after_today_does_not_hide_progress_this_month(
    counsellor_a, structure_a, socle
):
    person = LearnerFactory(structure=structure_a, first_name="Jeanne")
    other = LearnerFactory(structure=structure_a, first_name="Paul")
    for learner, competence, ranks_and_days in (
        (person, socle[0], ((0, 2), (2, 10))),
        (person, socle[1], ((0, 11), (1, 25))),  # a level recorded for a future session
        (other, socle[0], ((0, 3), (1, 12))),
    ):
        for rank, day in ranks_and_days:
            observation_record(
                user=counsellor_a,
                learner=learner,
                competence=competence,
                level=level("socle", rank),
                observed_on=datetime.date(2025, 6, day),
            )
    assert links_of(person)[structure_a.pk][1] == datetime.date(2025, 6, 25)
    dashboard = counsellor_dashboard(user=counsellor_a, today=TODAY)
    assert dashboard.progressed_count == 2
    listed = {entry.learner.pk: entry.competences for entry in dashboard.progressed}
    assert set(listed) == {person.pk, other.pk}
    assert [competence for competence, _level in listed[person.pk]] == [socle[0]]


def test_a_new_top_level_brings_back_people_stuck_below_it(
    counsellor_a, structure_a, socle, django_capture_on_commit_callbacks
):
    """People at a framework's top level are not stuck; once a level is added above it
    they are, on the counsellor's dashboard too (its copies refreshed by a job)."""
    from learners.models import JobRun
    from workshops.models import Level

    person = LearnerFactory(structure=structure_a)
    framework = socle[0].framework
    top = framework.levels.order_by("-rank").first()
    for day in (1, 8, 15, 16):
        observe(counsellor_a, person, socle[0], top.rank, datetime.date(2025, 6, day))
    assert counsellor_dashboard(user=counsellor_a, today=TODAY).stuck_count == 0
    with django_capture_on_commit_callbacks(execute=True):
        expert = Level.objects.create(framework=framework, rank=top.rank + 1, name="Expert")
    assert links_of(person)[structure_a.pk][2] == datetime.date(2025, 6, 16)
    dashboard = counsellor_dashboard(user=counsellor_a, today=TODAY)
    assert [s.learner.pk for s in dashboard.stuck] == [person.pk]
    run = JobRun.objects.get(name="structure_links_refresh")
    assert run.status == "ok" and run.summary == "1 lien personne–structure remis à jour"
    with django_capture_on_commit_callbacks(execute=True):
        expert.delete()
    assert counsellor_dashboard(user=counsellor_a, today=TODAY).stuck_count == 0


def test_the_nightly_check_repairs_only_what_is_out_of_step(counsellor_a, structure_a):
    import io

    from django.core.management import call_command

    from learners.models import JobRun

    person = LearnerFactory(structure=structure_a)
    session = SessionFactory(structure=structure_a, start=at(TODAY - datetime.timedelta(days=3)))
    attendance_sheet_save(user=counsellor_a, session=session, rows=[SheetRow(person.pk)])
    LearnerStructure.objects.update(last_attended_on=None)
    outputs = []
    for _run in range(2):
        out = io.StringIO()
        call_command("refresh_structure_links", stdout=out)
        outputs.append(out.getvalue().strip())
    assert outputs == [
        "1 lien personne–structure remis à jour",
        "0 lien personne–structure remis à jour",
    ]
    assert links_of(person) == {structure_a.pk: (session.local_date, None, None)}
    runs = JobRun.objects.filter(name="structure_links_refresh", origin="commande")
    assert runs.count() == 2 and {run.status for run in runs} == {"ok"}
