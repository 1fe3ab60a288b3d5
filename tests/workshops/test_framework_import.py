"""Framework import/export: round trips in CSV and XLSX, bad files, all or nothing."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from tests.factories.editorial import UserFactory
from workshops import roles
from workshops.models import Competence, Domain, Framework, Level
from workshops.services.editorial import editorial_setup
from workshops.services.frameworks import framework_export, framework_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator():
    editorial_setup()
    return UserFactory(groups=[roles.COORDINATORS])


@pytest.fixture
def crcn():
    return Framework.objects.get(slug="crcn")


def state(framework):
    return (
        sorted(
            Competence.objects.filter(framework=framework).values_list(
                "code", "name", "can_do", "domain__code", "sort_order"
            )
        ),
        sorted(Domain.objects.filter(framework=framework).values_list("code", "name")),
        sorted(Level.objects.filter(framework=framework).values_list("rank", "name", "group")),
    )


def csv_rows(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8-sig")
    return [line.split(";") for line in text.strip().splitlines()]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", ["competences", "levels"])
def test_round_trip_changes_nothing(coordinator, crcn, fmt, kind):
    content, _ = framework_export(framework=crcn, kind=kind, format=fmt)
    before = state(crcn)
    result = framework_import(
        user=coordinator, framework=crcn, content=content, format=fmt, dry_run=False
    )
    assert result.ok, [str(e) for e in result.errors]
    assert result.kind == kind
    assert result.created == result.updated == 0
    assert result.unchanged == (16 if kind == "competences" else 8)
    assert not result.has_changes
    assert state(crcn) == before


def test_csv_export_is_french_excel_friendly(crcn):
    content, content_type = framework_export(framework=crcn, kind="competences", format="csv")
    assert content_type == "text/csv"
    assert content.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(content)
    assert rows[0] == [
        "Référentiel",
        "Code domaine",
        "Domaine",
        "Code compétence",
        "Compétence",
        "Je sais faire",
    ]
    assert rows[1][:5] == [
        "crcn",
        "1",
        "Information et données",
        "1.1",
        "Mener une recherche et une veille d'information",
    ]
    assert len(rows) == 17


def edited_crcn_csv(crcn) -> bytes:
    content, _ = framework_export(framework=crcn, kind="competences", format="csv")
    text = content.decode("utf-8-sig")
    text = text.replace(
        "Mener une recherche et une veille d'information",
        "Chercher une information et la vérifier",
    )
    text += "crcn;5;Environnement numérique;5.3;Utiliser une imprimante;Je sais imprimer.\r\n"
    return text.encode("utf-8")


def test_one_edit_and_one_addition_preview_then_confirm(coordinator, crcn):
    content = edited_crcn_csv(crcn)
    before = state(crcn)
    preview = framework_import(
        user=coordinator, framework=crcn, content=content, format="csv", dry_run=True
    )
    assert preview.ok
    assert (preview.created, preview.updated, preview.unchanged) == (1, 1, 15)
    updated = next(row for row in preview.rows if row.action == "update")
    assert updated.line == 2
    assert updated.changes == (
        "Compétence : « Mener une recherche et une veille d'information » → "
        "« Chercher une information et la vérifier »",
    )
    assert state(crcn) == before  # nothing written by the preview

    result = framework_import(
        user=coordinator, framework=crcn, content=content, format="csv", dry_run=False
    )
    assert (result.created, result.updated) == (1, 1)
    assert Competence.objects.get(framework=crcn, code="1.1").name == (
        "Chercher une information et la vérifier"
    )
    new = Competence.objects.get(framework=crcn, code="5.3")
    assert new.domain.code == "5" and new.can_do == "Je sais imprimer."
    assert new.sort_order > Competence.objects.get(framework=crcn, code="5.2").sort_order
    # Importing the same file again changes nothing.
    again = framework_import(
        user=coordinator, framework=crcn, content=content, format="csv", dry_run=False
    )
    assert not again.has_changes


def test_xlsx_edit_and_addition(coordinator, crcn):
    content, _ = framework_export(framework=crcn, kind="competences", format="xlsx")
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    sheet["E2"] = "Chercher une information et la vérifier"
    sheet.append(["crcn", "6", "Numérique responsable", "6.1", "Réparer plutôt que jeter", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = framework_import(
        user=coordinator, framework=crcn, content=buffer.getvalue(), format="xlsx", dry_run=False
    )
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated) == (1, 1)
    assert result.domains_created == ["6. Numérique responsable"]
    assert Domain.objects.get(framework=crcn, code="6").competences.get().code == "6.1"


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8"),
        lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda text: text.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8-bom", "windows-1252"],
)
@pytest.mark.parametrize("sep", [";", ","])
def test_encodings_and_separators(coordinator, encode, sep):
    framework = Framework.objects.create(name="Autonomie au quotidien", slug="quotidien")
    lines = [
        ["Référentiel", "Code domaine", "Domaine", "Code compétence", "Compétence"],
        ["quotidien", "A", "Téléphone", "A1", "Décrocher et raccrocher"],
        ["quotidien", "A", "Téléphone", "A2", "Écouter sa messagerie vocale"],
        ["", "B", "Démarches", "B1", "Créer son compte Améli"],
    ]
    text = "\r\n".join(sep.join(line) for line in lines) + "\r\n"
    result = framework_import(
        user=coordinator, framework=framework, content=encode(text), format="csv", dry_run=False
    )
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == 3
    assert set(Domain.objects.filter(framework=framework).values_list("name", flat=True)) == {
        "Téléphone",
        "Démarches",
    }
    assert Competence.objects.get(framework=framework, code="A2").name == (
        "Écouter sa messagerie vocale"
    )


def test_levels_import(coordinator):
    framework = Framework.objects.create(name="Autonomie", slug="autonomie")
    text = "Référentiel,Rang,Niveau,Palier\nautonomie,0,Découverte,Débutant\n,1,Pratique,\n"
    result = framework_import(
        user=coordinator, framework=framework, content=text.encode(), format="csv", dry_run=False
    )
    assert result.ok and result.created == 2
    assert list(framework.levels.values_list("rank", "name", "group")) == [
        (0, "Découverte", "Débutant"),
        (1, "Pratique", ""),
    ]


def test_row_with_missing_code_writes_nothing_and_names_the_row(coordinator, crcn):
    before = state(crcn)
    content = edited_crcn_csv(crcn).decode() + "crcn;5;Environnement numérique;;Sans code;\r\n"
    result = framework_import(
        user=coordinator, framework=crcn, content=content.encode(), format="csv", dry_run=False
    )
    assert not result.ok
    assert [str(e) for e in result.errors] == [
        "Ligne 19, colonne « Code compétence » : valeur manquante."
    ]
    assert state(crcn) == before  # not even the valid edit and addition


def test_several_errors_are_all_reported_with_row_and_column(coordinator, crcn):
    text = (
        "Référentiel;Code domaine;Domaine;Code compétence;Compétence\n"
        "crcn;1;Information et données;1.1;" + "x" * 201 + "\n"
        "socle;1;Information et données;1.9;Autre référentiel\n"
        "crcn;1;Autre nom;1.8;Nom du domaine incohérent\n"
        "crcn;2;Communication et collaboration;1.8;Code en double\n"
    )
    result = framework_import(
        user=coordinator, framework=crcn, content=text.encode(), format="csv", dry_run=True
    )
    messages = [str(e) for e in result.errors]
    assert messages == [
        "Ligne 2, colonne « Compétence » : 201 caractères, 200 au maximum.",
        "Ligne 3, colonne « Référentiel » : cette ligne concerne le référentiel « socle », "
        "pas « crcn ».",
        "Ligne 4, colonne « Domaine » : le domaine « 1 » s'appelle « Information et données » "
        "ligne 2.",
        "Ligne 5, colonne « Code compétence » : « 1.8 » apparaît déjà ligne 4.",
    ]


def test_model_validation_error_names_the_row_and_rolls_back(coordinator):
    framework = Framework.objects.create(name="Essai", slug="essai")
    text = "Référentiel;Rang;Niveau\nessai;0;Premier\nessai;1;\nessai;2;Troisième\n"
    result = framework_import(
        user=coordinator, framework=framework, content=text.encode(), format="csv", dry_run=False
    )
    assert [str(e) for e in result.errors] == ["Ligne 3, colonne « Niveau » : valeur manquante."]
    assert not framework.levels.exists()


@pytest.mark.parametrize(
    ("content", "fmt", "message"),
    [
        (
            'Référentiel;Code domaine;Domaine;Code compétence;Compétence\n"crcn;1;Info\n'.encode(),
            "csv",
            "Le fichier CSV est mal formé",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "csv", "n'est pas un fichier CSV"),
        (b"not a zip", "xlsx", "n'est pas un vrai classeur Excel"),
        (b"", "csv", "Le fichier est vide."),
        ("Nom;Prénom\nMartin;Camille\n".encode(), "csv", "Colonnes non reconnues"),
        ("Référentiel;Code compétence\ncrcn;1.1\n".encode(), "csv", "Colonnes manquantes"),
        (b"a;b", "ods", "Format non pris en charge"),
    ],
    ids=["unclosed-quote", "binary", "bad-xlsx", "empty", "unknown-columns", "missing", "ods"],
)
def test_unreadable_files_get_a_french_message(coordinator, crcn, content, fmt, message):
    before = state(crcn)
    result = framework_import(
        user=coordinator, framework=crcn, content=content, format=fmt, dry_run=False
    )
    assert not result.ok
    assert message in str(result.errors[0])
    assert state(crcn) == before


def test_xlsx_with_numbers_typed_as_numbers(coordinator):
    framework = Framework.objects.create(name="Chiffres", slug="chiffres")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Référentiel", "Rang", "Niveau", "Palier"])
    sheet.append(["chiffres", 1, "Un", None])
    sheet.append(["chiffres", 2.0, "Deux", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = framework_import(
        user=coordinator,
        framework=framework,
        content=buffer.getvalue(),
        format="xlsx",
        dry_run=False,
    )
    assert result.ok, [str(e) for e in result.errors]
    assert list(framework.levels.values_list("rank", flat=True)) == [1, 2]


def test_counsellor_may_not_import(crcn):
    editorial_setup()
    counsellor = UserFactory(groups=[roles.COUNSELLORS])
    content, _ = framework_export(framework=crcn, kind="competences", format="csv")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        framework_import(user=counsellor, framework=crcn, content=content, format="csv")


def test_a_missing_optional_column_keeps_existing_values(coordinator, crcn):
    content, _ = framework_export(framework=crcn, kind="competences", format="csv")
    rows = csv_rows(content)
    text = "\n".join(";".join(row[:5]) for row in rows)
    before = state(crcn)
    result = framework_import(
        user=coordinator, framework=crcn, content=text.encode(), format="csv", dry_run=False
    )
    assert result.ok and result.unchanged == 16
    assert state(crcn) == before


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_looking_text_is_neutralised_and_round_trips(coordinator, fmt):
    framework = Framework.objects.create(name="Formules", slug="formules")
    domain = Domain.objects.create(framework=framework, code="A", name="=Domaine")
    Competence.objects.create(
        framework=framework, domain=domain, code="A1", name='=HYPERLINK("x")', can_do="-1"
    )
    content, _ = framework_export(framework=framework, kind="competences", format=fmt)
    if fmt == "csv":
        assert "'=HYPERLINK" in content.decode("utf-8-sig")
    else:
        cell = load_workbook(io.BytesIO(content)).worksheets[0]["E2"]
        assert cell.data_type == "s" and cell.value == '=HYPERLINK("x")'
    before = state(framework)
    result = framework_import(
        user=coordinator, framework=framework, content=content, format=fmt, dry_run=False
    )
    assert result.ok, [str(e) for e in result.errors]
    assert not result.has_changes
    assert state(framework) == before
