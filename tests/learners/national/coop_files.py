"""Real-looking files in the layout of La Coop de la médiation numérique's « Exporter mes
activités » (built with openpyxl as its exceljs code lays them out: the « Informations
export » and « Filtres » blocks, a blank line, then the table)."""

import datetime
import io

from openpyxl import Workbook

from learners.national.coop_activities import columns

META = [
    ("Nom", "Durand"),
    ("Prénom", "Odile"),
    ("Rôle", "Médiateur"),
    ("Total", 0),
    ("Date d'export", "02/06/2025"),
    ("Heure d'export", "10:12"),
]
FILTERS = [
    "Période",
    "Source",
    "Lieux d’accompagnement",
    "Communes",
    "Départements",
    "Type d’accompagnement",
    "Rôle",
    "Thématiques non administratives",
    "Thématiques administratives",
    "Tags",
]


def line(**cells) -> dict:
    """One line of the self-export table; unspecified cells are empty."""
    defaults = {
        "Date": datetime.datetime(2025, 5, 12),
        "Enregistré le": "12/05/2025 à 17:40",
        "Type": "Atelier collectif",
        "Participants": 1,
        "Canaux d’accompagnement": "Lieu d’activité",
        "Durée (min)": 90,
        "Genre du bénéficiaire": "Non communiqué",
        "Tranche d’âge du bénéficiaire": "Non communiqué",
        "Statut du bénéficiaire": "Non communiqué ou hétérogène",
    }
    return defaults | cells


def coop_xlsx(lines: list[dict], *, self_export: bool = True, formulas: dict | None = None):
    """The workbook's bytes; `formulas`: {(line index, header): formula} written as real
    formula cells."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Activités"
    sheet.append(["Informations export"])
    for row in META:
        sheet.append(list(row))
    sheet.append([])
    sheet.append(["Filtres"])
    for label in FILTERS:
        sheet.append([label, "-"])
    sheet.append([])
    sheet.append([""])
    header = columns(self_export=self_export)
    sheet.append(header)
    for index, cells in enumerate(lines):
        sheet.append([cells.get(h) for h in header])
        row = sheet._current_row
        for column, name in enumerate(header, start=1):
            cell = sheet.cell(row=row, column=column)
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed text that looks like a formula
            if formulas and (index, name) in formulas:
                cell.value = formulas[(index, name)]  # a real formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
