"""People in La Coop's beneficiaries import template: compared with the fixture read from
the template itself, scoped and audited like the other people exports."""

import pytest
from django.core.exceptions import PermissionDenied

from learners.choices import AuditAction, Gender
from learners.models import AuditLog
from learners.national import coop_source
from learners.services.exports import export_build
from tests.factories.learners import LearnerFactory

from .conftest import fixture, workbook

pytestmark = pytest.mark.django_db
SPEC = fixture("coop_beneficiaires_columns.json")


def sheet_of(content: bytes):
    book = workbook(content)
    assert book.sheetnames == SPEC["sheetnames"]
    return book[SPEC["sheet_title"]]


def test_the_fixture_is_the_template_of_the_commit_the_code_names():
    assert SPEC["source"]["commit"] == coop_source.COOP_COMMIT
    assert SPEC["source"]["path"] == coop_source.BENEFICIARIES_SOURCE


def test_the_template_layout_and_values(network, counsellor_a, structure_a):
    hel = network["a"]["people"][0]
    hel.last_name, hel.birth_year, hel.gender = "Durand", 1948, Gender.FEMALE
    hel.phone, hel.email, hel.notes = "0601020304", "helene@example.org", "Préfère le matin"
    hel.save()
    content = export_build(user=counsellor_a, kind="coop_people", format="xlsx").content
    sheet = sheet_of(content)
    assert sheet["A1"].value == SPEC["instructions"]
    for column, (header, sub) in enumerate(
        zip(SPEC["header_row"], SPEC["sub_header_row"], strict=True), start=1
    ):
        assert sheet.cell(row=2, column=column).value == header, column
        assert sheet.cell(row=3, column=column).value == sub, column
    assert sorted(str(r) for r in sheet.merged_cells.ranges) == SPEC["merged_cells"]
    rows = {
        row[1]: row
        for row in sheet.iter_rows(min_row=SPEC["first_data_row"], max_col=10, values_only=True)
    }
    assert len(rows) == len(network["a"]["people"])
    assert rows["Hélène"] == (
        "Durand",
        "Hélène",
        1948,
        "La Roche-sur-Yon",
        "85191",
        "85000",  # text, as the template
        "0601020304",
        "helene@example.org",
        "Féminin",
        "Préfère le matin",
    )
    example = SPEC["example_row"]
    assert isinstance(example[2], int) and isinstance(rows["Hélène"][2], int)
    for row in rows.values():
        assert row[8] in SPEC["genre_values"]
    gender_lists = [
        dv.formula1 for dv in sheet.data_validations.dataValidation if dv.type == "list"
    ]
    assert gender_lists == ['"' + ",".join(SPEC["genre_values"]) + '"']


def test_scoped_and_audited(network, counsellor_a, counsellor_b, coordinator, partner_editor):
    def first_names(user) -> set:
        sheet = sheet_of(export_build(user=user, kind="coop_people", format="xlsx").content)
        return {r[1] for r in sheet.iter_rows(min_row=4, values_only=True) if r[1]}

    a = {p.first_name for p in network["a"]["people"]}
    b = {p.first_name for p in network["b"]["people"]}
    assert first_names(counsellor_a) == a
    assert first_names(counsellor_b) == b
    assert first_names(coordinator) == a | b
    with pytest.raises(PermissionDenied):
        export_build(user=partner_editor, kind="coop_people", format="xlsx")
    logs = AuditLog.objects.filter(
        action=AuditAction.EXPORT, detail__startswith="export coop_people"
    )
    assert logs.count() == 3


def test_formula_looking_names_stay_text(network, counsellor_a, structure_a):
    LearnerFactory(structure=structure_a, first_name="=1+1", last_name="@SUM(A1)")
    sheet = sheet_of(export_build(user=counsellor_a, kind="coop_people", format="xlsx").content)
    cells = [
        c for row in sheet.iter_rows(min_row=4) for c in row if c.value in ("=1+1", "@SUM(A1)")
    ]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)
