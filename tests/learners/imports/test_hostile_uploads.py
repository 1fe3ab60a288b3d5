"""Hostile and damaged import files : never a 500, never a partial
write, always a French message.

1,000 seeded mutants (`tests.factories.hostile_files`): the first 250 go through the real
upload view as a logged-in counsellor (and, when a preview is ready, through the real
confirm), the other 750 through the service (`import_job_create`). Memory and time are
measured by `bench/hostile_uploads.py`, not here.
"""

import io
import random
import re
import zipfile

import openpyxl
import pytest
from defusedxml import DefusedXmlException
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from common import spreadsheets
from common.spreadsheets import SpreadsheetError, spreadsheet_read, upload_check
from learners.imports import MAX_IMPORT_BYTES, MAX_ROWS, import_job_create
from learners.models import ImportJob, ImportKind, ImportStatus, Learner
from tests.factories import hostile_files

pytestmark = pytest.mark.django_db

SEED = 20261206
VIEW_MUTANTS = 250
SERVICE_MUTANTS = 750
# Words every French refusal of the reader or the import contains at least one of.
FRENCH = re.compile(
    r"fichier|classeur|ligne|colonne|encodage|cellule|image|rien n'a été importé", re.I
)


def upload(client, name, content):
    return client.post(
        reverse("learners_import_upload", args=["people"]),
        {"file": SimpleUploadedFile(name, content)},
    )


def created_people(job) -> int:
    return job.summary.get("entities", {}).get("person", {}).get("create", 0)


def test_mutants_through_the_upload_and_confirm_views(client, counsellor_a, roche):
    client.force_login(counsellor_a)
    outcomes = {"refused": 0, "invalid": 0, "confirmed": 0, "nothing": 0}
    for name, filename, content in hostile_files.mutants(SEED, VIEW_MUTANTS, max_rows=MAX_ROWS):
        people, jobs = Learner.objects.count(), ImportJob.objects.count()
        response = upload(client, filename, content)
        assert response.status_code in (200, 302), name
        if response.status_code == 200:
            errors = " ".join(response.context["form"].errors.get("file", []))
            assert FRENCH.search(errors), (name, errors)
            assert (Learner.objects.count(), ImportJob.objects.count()) == (people, jobs), name
            outcomes["refused"] += 1
            continue
        job = ImportJob.objects.latest("created_at")
        page = client.get(response["Location"])
        assert page.status_code == 200, name
        assert Learner.objects.count() == people, name  # a preview writes nothing
        if job.status == ImportStatus.INVALID:
            html = page.content.decode().replace("&#x27;", "'")
            assert "rien n'a été importé" in html, name
            assert all(FRENCH.search(str(e["message"])) or e["line"] for e in job.errors), name
            outcomes["invalid"] += 1
        elif job.status == ImportStatus.READY:
            confirm = client.post(response["Location"], {"action": "confirm"})
            assert confirm.status_code == 302, name
            job.refresh_from_db()
            # All or nothing: every person of the preview, or nobody.
            expected = people + created_people(job) if job.status == ImportStatus.DONE else people
            assert job.status in (ImportStatus.DONE, ImportStatus.FAILED), name
            assert Learner.objects.count() == expected, name
            outcomes["confirmed"] += 1
        else:
            assert job.status == ImportStatus.DONE and Learner.objects.count() == people, name
            outcomes["nothing"] += 1
    # The mix really exercises refusals and imports alike.
    assert outcomes["refused"] > VIEW_MUTANTS // 3, outcomes
    assert outcomes["confirmed"] + outcomes["nothing"] + outcomes["invalid"] > 10, outcomes


def test_mutants_through_the_service(counsellor_a, roche):
    refused = 0
    mutants = hostile_files.mutants(SEED, VIEW_MUTANTS + SERVICE_MUTANTS, max_rows=MAX_ROWS)
    for index, (name, filename, content) in enumerate(mutants):
        if index < VIEW_MUTANTS:
            continue  # the view test's share
        people = Learner.objects.count()
        try:
            job = import_job_create(
                user=counsellor_a, kind=ImportKind.PEOPLE, filename=filename, content=content
            )
        except ValidationError as exc:
            assert FRENCH.search(" ".join(exc.messages)), (name, exc.messages)
            refused += 1
        else:
            assert job.status in (ImportStatus.READY, ImportStatus.INVALID, ImportStatus.DONE)
            if job.status == ImportStatus.INVALID:
                assert job.errors, name
        assert Learner.objects.count() == people, name
    assert refused > SERVICE_MUTANTS // 3


# --- The limits, one by one ------------------------------------------------------------------


def test_an_oversized_file_is_refused_without_a_job(client, counsellor_a):
    client.force_login(counsellor_a)
    content = b"Pr\xe9nom;Nom\r\n" + b"A;B\r\n" * (MAX_IMPORT_BYTES // 5 + 10)
    response = upload(client, "gros.csv", content)
    assert response.status_code == 200
    assert "trop lourd (30 Mo au maximum)" in " ".join(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists()


def test_one_line_over_the_row_limit_is_refused_and_the_limit_itself_is_read(counsellor_a, roche):
    header = ";".join(hostile_files.HEADER) + "\r\n"
    line = "Zoé;Roux;1950;85191;25/03/2024\r\n"
    job = import_job_create(
        user=counsellor_a,
        kind=ImportKind.PEOPLE,
        filename="long.csv",
        content=(header + line * (MAX_ROWS + 1)).encode(),
    )
    assert job.status == ImportStatus.INVALID and not job.content
    assert "plus de 100\u202f000 lignes" in job.errors[0]["message"]
    assert Learner.objects.count() == 0
    table = spreadsheet_read((header + line * 3).encode(), "csv", max_rows=3)
    assert len(table.rows) == 3


def test_a_zip_bomb_is_refused_from_its_directory(counsellor_a):
    bomb = hostile_files.ratio_bomb(60_000)
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    assert sheet.file_size > spreadsheets.XLSX_MAX_RATIO * sheet.compress_size
    with pytest.raises(SpreadsheetError) as caught:
        upload_check(bomb, filename="bombe.xlsx", max_bytes=MAX_IMPORT_BYTES)
    assert "bien trop volumineux" in caught.value.message


def test_too_many_rows_in_a_workbook_are_counted_before_parsing():
    content = hostile_files.many_rows_xlsx(120 + 10_001, random.Random(1))
    with pytest.raises(SpreadsheetError) as caught:
        upload_check(content, filename="long.xlsx", max_bytes=MAX_IMPORT_BYTES, max_rows=120)
    assert "plus de 120 lignes" in caught.value.message


@pytest.mark.parametrize("kind", ["laughs", "quadratic", "external"])
@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_xml_bombs_are_refused_and_openpyxl_parses_through_defusedxml(kind, member):
    xlsx = hostile_files.seeds()["xlsx-shared"][1]
    assert member in dict(hostile_files.zip_members(xlsx))
    bomb = hostile_files.xml_bomb(xlsx, member, kind)
    with pytest.raises(SpreadsheetError) as caught:
        spreadsheet_read(bomb, "xlsx")
    assert caught.value.message == spreadsheets.damaged_xlsx_message()
    # Second line of defence, without our container check: openpyxl uses defusedxml.
    assert openpyxl.DEFUSEDXML is True
    with pytest.raises((DefusedXmlException, ValueError)) as caught:
        workbook = openpyxl.load_workbook(io.BytesIO(bomb), read_only=True)
        list(workbook.worksheets[0].iter_rows(values_only=True))
    error = caught.value
    assert isinstance(error, DefusedXmlException) or isinstance(
        error.__cause__, DefusedXmlException
    )


def test_a_row_of_megabytes_is_refused_before_openpyxl_builds_it():
    content = hostile_files.wide_row_xlsx(60_000, random.Random(2))
    with pytest.raises(SpreadsheetError) as caught:
        upload_check(content, filename="large.xlsx", max_bytes=MAX_IMPORT_BYTES)
    assert "bien trop volumineux" in caught.value.message


def test_utf16_with_a_bom_is_read_and_without_one_gets_a_plain_message():
    text = "Prénom;Nom\r\nZoé;Noël\r\n"
    assert spreadsheet_read(text.encode("utf-16"), "csv").rows == [(2, ["Zoé", "Noël"])]
    with pytest.raises(SpreadsheetError) as caught:
        spreadsheet_read(text.encode("utf-16-le"), "csv")
    assert "CSV UTF-8" in caught.value.message


def test_a_nul_character_in_a_cell_is_refused_with_its_line():
    """UTF-16 can carry U+0000, which PostgreSQL cannot store in text (a preview holding it
    failed with a DataError, i.e. a 500, on PostgreSQL only)."""
    text = "Prénom;Nom\r\nZoé;Noël\r\nRo\x00se;Martin\r\n"
    with pytest.raises(SpreadsheetError) as caught:
        spreadsheet_read(text.encode("utf-16"), "csv")
    assert "La ligne 3 contient un caractère invalide (caractère nul)" in caught.value.message


def test_a_damaged_workbook_at_confirm_time_writes_nothing(client, counsellor_a, roche):
    """The file is read again at confirm: if it cannot be (here: damaged in storage), the
    job fails with a French message and nothing is written."""
    client.force_login(counsellor_a)
    response = upload(client, "personnes.xlsx", hostile_files.seeds()["xlsx"][1])
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.READY
    ImportJob.objects.filter(pk=job.pk).update(content=bytes(job.content)[:-200])
    client.post(response["Location"], {"action": "confirm"})
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.errors[0]["message"] == spreadsheets.damaged_xlsx_message()
    assert Learner.objects.count() == 0


def test_a_relocated_sheet_is_scanned_where_openpyxl_reads_it():
    """The sheet found through the workbook's relationships, not by its usual name."""
    wide = hostile_files.wide_row_xlsx(60_000, random.Random(5))
    members = dict(hostile_files.zip_members(wide))
    members["xl/feuilles/cachee.xml"] = members.pop("xl/worksheets/sheet1.xml")
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"worksheets/sheet1.xml", b"feuilles/cachee.xml"
    )
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"/xl/worksheets/sheet1.xml", b"/xl/feuilles/cachee.xml"
    )
    content = hostile_files.zip_build(list(members.items()))
    with pytest.raises(SpreadsheetError) as caught:
        upload_check(content, filename="cachee.xlsx", max_bytes=MAX_IMPORT_BYTES)
    assert "bien trop volumineux" in caught.value.message
    # The same relocation of a sound sheet still reads.
    members["xl/feuilles/cachee.xml"] = dict(
        hostile_files.zip_members(hostile_files.seeds()["xlsx"][1])
    )["xl/worksheets/sheet1.xml"]
    table = spreadsheet_read(hostile_files.zip_build(list(members.items())), "xlsx")
    assert table.header == hostile_files.HEADER and len(table.rows) == 6
