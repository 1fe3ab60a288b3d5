"""Import of a counsellor's own activity export from La Coop: preview, then all or nothing;
sessions keyed on « ID CRA » (the same file twice changes nothing); venues matched within
the structure, else « autre lieu » with its commune; people matched with the network's
rule (no duplicate); anonymous participants counted; bad cells named by line and column."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from learners.age_bands import AgeBand
from learners.choices import (
    AttendanceStatus,
    Autonomy,
    Equipment,
    Gender,
    PlaceType,
    SessionKind,
    SocialStatus,
)
from learners.imports import import_job_create, import_run
from learners.models import (
    AnonymousParticipants,
    Attendance,
    ImportKind,
    ImportStatus,
    Learner,
    Session,
)
from tests.factories.learners import CommuneFactory, LearnerFactory, VenueFactory
from workshops.choices import WorkshopLevel

from .coop_files import coop_xlsx, line

pytestmark = pytest.mark.django_db
KIND = ImportKind.COOP_ACTIVITY
ATELIER, RDV = "6f0c2d7e-8b1a-4c53-9e2f-0a1b2c3d4e5f", "0d9e8f7a-1b2c-4d3e-8f9a-b0c1d2e3f4a5"


@pytest.fixture
def place(structure_a):
    roche = CommuneFactory(insee_code="85191", name="La Roche-sur-Yon", postal_codes="85000")
    sables = CommuneFactory(insee_code="85194", name="Les Sables-d'Olonne", postal_codes="85100")
    venue = VenueFactory(structure=structure_a, name="Médiathèque Benjamin Rabier", commune=roche)
    return venue, sables


@pytest.fixture
def helene(structure_a):
    return LearnerFactory(
        structure=structure_a, first_name="Hélène", last_name="Durand", birth_year=1950
    )


def activity_file(**atelier_cells) -> bytes:
    atelier = {
        "Type": "Atelier collectif",
        "Nom du lieu": "Médiathèque Benjamin Rabier",
        "Commune": "La Roche-sur-Yon",
        "Code postal": "85000",
        "Code Insee": "85191",
        "Nom de l’atelier": "Premiers pas sur la tablette",
        "Matériel numérique utilisé": "Tablette",
        "Thématique(s) d’accompagnement": "Prendre en main du matériel\nSécurité numérique",
        "Niveau d’autonomie (ou de l’atelier)": "1/3",
        "ID CRA": ATELIER,
    } | atelier_cells
    return coop_xlsx(
        [
            line(**atelier, Participants="1/4", Bénéficiaire="Hélène Durand"),
            line(
                **atelier,
                Participants="2/4",
                Bénéficiaire="Marc Petit",
                **{"Genre du bénéficiaire": "Masculin", "Statut du bénéficiaire": "En emploi"},
            ),
            line(
                **atelier,
                Participants="3/4",
                Bénéficiaire="Bénéficiaire anonyme",
                **{"Tranche d’âge du bénéficiaire": "70 ans et plus"},
            ),
            line(
                **atelier,
                Participants="4/4",
                Bénéficiaire="Bénéficiaire anonyme",
                **{"Tranche d’âge du bénéficiaire": "70 ans et plus"},
            ),
            line(
                Date=datetime.datetime(2025, 5, 14),
                Type="Accompagnement individuel",
                Bénéficiaire="Marc Petit",
                **{
                    "Canaux d’accompagnement": "Autre lieu",
                    "Commune": "Les Sables-d'Olonne",
                    "Code postal": "85100",
                    "Code Insee": "85194",
                    "Durée (min)": 45,
                    "Matériel numérique utilisé": "Téléphone",
                    "Thématique(s) d’accompagnement": "Aide aux démarches administratives\n"
                    "Social - Santé",
                    "Niveau d’autonomie (ou de l’atelier)": "2/3",
                    "Bénéficiaire réorienté": "Oui",
                    "Structure de redirection": "Opérateur ou organisme en charge de la "
                    "démarche administrative",
                    "Genre du bénéficiaire": "Masculin",
                    "Statut du bénéficiaire": "En emploi",
                    "ID CRA": RDV,
                },
            ),
        ]
    )


def test_preview_then_everything_once(place, helene, counsellor_a, structure_a):
    venue, sables = place
    content = activity_file()
    job = import_job_create(
        user=counsellor_a, kind=KIND, filename="activites.xlsx", content=content
    )
    assert job.status == ImportStatus.READY, job.errors
    entities = job.summary["entities"]
    assert entities["session"]["create"] == 2
    assert entities["person"] == {"create": 1, "update": 0, "unchanged": 1, "skip": 0}
    assert entities["attendance"]["create"] == 3
    assert entities["anonymous"]["create"] == 1
    assert any(
        "rattachée, pas de doublon" in f for pl in job.preview["flagged"] for f in pl["flags"]
    )
    assert not Session.objects.exists()  # the preview writes nothing

    plan = import_run(user=counsellor_a, kind=KIND, content=content, format="xlsx", dry_run=False)
    assert plan.ok, plan.errors
    atelier = Session.objects.get(external_id=ATELIER)
    assert atelier.structure == structure_a and atelier.kind == SessionKind.WORKSHOP
    assert (atelier.venue, atelier.place_type) == (venue, PlaceType.VENUE)
    assert atelier.title == "Premiers pas sur la tablette" and atelier.duration_minutes == 90
    assert atelier.level == WorkshopLevel.BEGINNER
    assert atelier.local_date == datetime.date(2025, 5, 12)
    assert set(atelier.themes.values_list("slug", flat=True)) == {
        "prendre-en-main-du-materiel",
        "securite-numerique",  # read from its former label
    }
    anonymous = AnonymousParticipants.objects.get(session=atelier)
    assert (anonymous.age_band, anonymous.gender, anonymous.count) == (
        AgeBand.FROM_70,
        Gender.UNKNOWN,
        2,
    )
    rdv = Session.objects.get(external_id=RDV)
    assert (rdv.kind, rdv.place_type, rdv.venue, rdv.place_commune) == (
        SessionKind.INDIVIDUAL,
        PlaceType.OTHER,
        None,
        sables,
    )
    assert rdv.duration_minutes == 45
    assert set(rdv.themes.values_list("slug", flat=True)) == {
        "aide-aux-demarches-administratives",
        "demarches-social-sante",
    }
    assert Learner.objects.filter(first_name="Hélène").count() == 1  # matched, not duplicated
    marc = Learner.objects.get(first_name="Marc", last_name="Petit")
    assert marc.structure == structure_a
    assert (marc.gender, marc.social_status) == (Gender.MALE, SocialStatus.EMPLOYED)
    visit = Attendance.objects.get(session=rdv, learner=marc)
    assert visit.status == AttendanceStatus.PRESENT
    assert (visit.equipment, visit.autonomy) == (Equipment.PHONE, Autonomy.PARTLY)
    assert visit.referred_to.startswith("Opérateur ou organisme")
    assert set(Attendance.objects.filter(session=atelier).values_list("learner", flat=True)) == {
        helene.pk,
        marc.pk,
    }

    again = import_run(user=counsellor_a, kind=KIND, content=content, format="xlsx")
    assert again.ok and not again.has_changes
    job = import_job_create(user=counsellor_a, kind=KIND, filename="encore.xlsx", content=content)
    assert job.status == ImportStatus.DONE  # nothing to confirm


def test_a_csv_of_the_table_alone(place, counsellor_a):
    from learners.national.coop_activities import columns
    from tests.learners.imports.conftest import csv_bytes

    header = columns(self_export=True)
    cells = line(
        Date="12/05/2025",
        Bénéficiaire="Bénéficiaire anonyme",
        **{"ID CRA": ATELIER, "Nom du lieu": "Médiathèque Benjamin Rabier", "Code Insee": "85191"},
    )
    content = csv_bytes([header, [str(cells.get(h) or "") for h in header]], encoding="utf-8")
    plan = import_run(user=counsellor_a, kind=KIND, content=content, format="csv", dry_run=False)
    assert plan.ok, plan.errors
    assert AnonymousParticipants.objects.get(session__external_id=ATELIER).count == 1


def test_a_bad_cell_is_named_and_nothing_is_stored(place, helene, counsellor_a):
    content = activity_file(**{"Durée (min)": "une heure et demie"})
    plan = import_run(user=counsellor_a, kind=KIND, content=content, format="xlsx", dry_run=False)
    assert not plan.ok
    first = plan.errors[0]
    assert first.line == 23 and first.column == "Durée (min)"  # the table starts line 22
    assert "nombre entier" in first.message
    assert not Session.objects.exists() and Learner.objects.count() == 1
    unknown = import_run(
        user=counsellor_a,
        kind=KIND,
        content=activity_file(Type="Visite guidée"),
        format="xlsx",
        dry_run=False,
    )
    assert unknown.errors[0].column == "Type" and "valeur inconnue" in unknown.errors[0].message
    assert not Session.objects.exists()


def test_not_a_coop_file(counsellor_a):
    from tests.learners.imports.conftest import csv_bytes

    content = csv_bytes([["Nom", "Prénom"], ["Durand", "Hélène"]])
    plan = import_run(user=counsellor_a, kind=KIND, content=content, format="csv")
    assert not plan.ok and "La Coop" in plan.errors[0].message


def test_formulas_are_never_run_nor_stored(place, counsellor_a):
    content = activity_file(**{"Nom de l’atelier": '=HYPERLINK("http://example.invalid","clic")'})
    plan = import_run(user=counsellor_a, kind=KIND, content=content, format="xlsx", dry_run=False)
    assert plan.ok, plan.errors
    # Typed text that looks like a formula is kept as the text it is (exports neutralise it).
    assert Session.objects.get(external_id=ATELIER).title.startswith("=HYPERLINK")
    from .coop_files import coop_xlsx

    formula = coop_xlsx(
        [
            line(
                Bénéficiaire="Bénéficiaire anonyme",
                **{"ID CRA": RDV, "Canaux d’accompagnement": "À distance"},
            )
        ],
        formulas={(0, "Nom de l’atelier"): "=1+1"},
    )
    assert import_run(
        user=counsellor_a, kind=KIND, content=formula, format="xlsx", dry_run=False
    ).ok
    assert Session.objects.get(external_id=RDV).title == ""  # the formula was not evaluated


def test_another_structure_gets_its_own_records(place, helene, counsellor_b, structure_b):
    plan = import_run(
        user=counsellor_b, kind=KIND, content=activity_file(), format="xlsx", dry_run=False
    )
    assert plan.ok, plan.errors
    atelier = Session.objects.get(external_id=ATELIER)
    assert atelier.structure == structure_b
    assert atelier.place_type == PlaceType.OTHER  # structure a's venue is not b's
    newcomer = Learner.objects.exclude(pk=helene.pk).get(first_name="Hélène")
    assert newcomer.structure == structure_b  # a's record is never attached to b


def test_refused_roles(partner_editor):
    with pytest.raises(PermissionDenied):
        import_run(user=partner_editor, kind=KIND, content=activity_file(), format="xlsx")


def test_reads_do_not_grow_with_the_file(place, counsellor_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.learners.imports.conftest import assert_bulk, query_profile

    def build(activities: int) -> bytes:
        lines = []
        for n in range(activities):
            for k in range(3):
                lines.append(
                    line(
                        Bénéficiaire=f"Personne{n} Numéro{k}",
                        Participants=f"{k + 1}/4",
                        **{"ID CRA": f"id-{activities}-{n}", "Nom de l’atelier": f"Atelier {n}"},
                    )
                )
            lines.append(
                line(
                    Bénéficiaire="Bénéficiaire anonyme",
                    **{"ID CRA": f"id-{activities}-{n}", "Nom de l’atelier": f"Atelier {n}"},
                )
            )
        return coop_xlsx(lines)

    def profile(content: bytes):
        with CaptureQueriesContext(connection) as captured:
            plan = import_run(
                user=counsellor_a, kind=KIND, content=content, format="xlsx", dry_run=False
            )
        assert plan.ok, plan.errors
        return query_profile(captured)

    small = profile(build(2))
    large = profile(build(30))
    assert_bulk(small, large, extra_rows=28 * 4)


def test_a_coordinator_imports_for_the_structure_chosen(place, coordinator, structure_b):
    content = activity_file()
    without = import_run(user=coordinator, kind=KIND, content=content, format="xlsx")
    assert not without.ok and "indiquez la structure" in without.errors[0].message
    plan = import_run(
        user=coordinator,
        kind=KIND,
        content=content,
        format="xlsx",
        structure=structure_b,
        dry_run=False,
    )
    assert plan.ok, plan.errors
    assert set(Session.objects.values_list("structure", flat=True)) == {structure_b.pk}
    assert set(Learner.objects.values_list("structure", flat=True)) == {structure_b.pk}


def test_changed_counts_and_communes_move_the_sessions_modification(place, counsellor_a):
    """The API's incremental sync reads `Session.updated_at`: a re-import that changes only
    the anonymous counts or the place's commune (written by bulk updates) must move it."""
    content = activity_file()
    assert import_run(user=counsellor_a, kind=KIND, content=content, format="xlsx", dry_run=False)
    long_ago = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    Session.objects.update(updated_at=long_ago)
    AnonymousParticipants.objects.filter(session__external_id=ATELIER).update(count=1)
    Session.objects.filter(external_id=RDV).update(place_commune=None)
    plan = import_run(user=counsellor_a, kind=KIND, content=content, format="xlsx", dry_run=False)
    assert plan.ok and plan.has_changes, plan.errors
    atelier, rdv = (Session.objects.get(external_id=key) for key in (ATELIER, RDV))
    assert AnonymousParticipants.objects.get(session=atelier).count == 2
    assert rdv.place_commune is not None
    assert atelier.updated_at > long_ago and rdv.updated_at > long_ago
