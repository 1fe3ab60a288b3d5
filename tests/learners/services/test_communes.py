import gzip

import pytest
from django.core.management import call_command

from learners.models import Commune
from learners.services.communes import COMMUNES_FILE, communes_load

pytestmark = pytest.mark.django_db

HEADER = (
    "insee_code,name,department_code,region_code,postal_codes,type,parent_insee_code,"
    "latitude,longitude,population,delegated_names\n"
)


def write_subset(path, rows: list[str]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(HEADER + "\n".join(rows) + "\n")


def test_shipped_file_is_small_and_loads_every_commune_with_text_codes():
    assert COMMUNES_FILE.stat().st_size < 1_000_000
    result = communes_load()
    assert result.created == Commune.objects.count() == 34_976
    ajaccio = Commune.objects.get(pk="2A004")
    assert ajaccio.name == "Ajaccio"
    assert ajaccio.postal_code_list == ["20000", "20090", "20167"]
    roche = Commune.objects.get(pk="85191")
    assert (roche.name, roche.department_code, roche.normalized_name) == (
        "La Roche-sur-Yon",
        "85",
        "larochesuryon",
    )
    # Leading zeros survive: codes are text.
    assert Commune.objects.get(pk="01001").name == "L'Abergement-Clémenciat"
    assert Commune.objects.get(pk="75101").parent_insee_code == "75056"
    assert "Arbignieu" in Commune.objects.get(pk="01015").delegated_names
    assert Commune.objects.filter(department_code="85").count() == 255

    again = communes_load()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 34_976)


def test_loader_updates_changed_rows_and_keeps_others(tmp_path):
    path = tmp_path / "communes.csv.gz"
    write_subset(
        path,
        [
            "85191,La Roche-sur-Yon,85,52,85000,COM,,46.66594,-1.4162,54952,",
            "85119,Landeronde,85,52,85150,COM,,46.65,-1.57,2500,",
        ],
    )
    assert communes_load(path=path).created == 2
    write_subset(
        path,
        [
            "85191,La Roche-sur-Yon,85,52,85000,COM,,46.66594,-1.4162,55000,",
            "85119,Landeronde,85,52,85150,COM,,46.65,-1.57,2500,",
        ],
    )
    result = communes_load(path=path)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Commune.objects.get(pk="85191").population == 55000


def test_command_reports_in_french(tmp_path, capsys):
    path = tmp_path / "communes.csv.gz"
    write_subset(path, ["2B033,Bastia,2B,94,20200 20600,COM,,42.7,9.45,48000,"])
    call_command("load_communes", file=str(path))
    assert "1 créées" in capsys.readouterr().out
    assert Commune.objects.get(pk="2B033").postal_codes == "20200 20600"
