"""Hostile spreadsheet uploads for the fuzz test and `bench/hostile_uploads.py`.

`mutants(seed, count)` yields `(name, filename, content)`: a seeded, reproducible mix of
damaged and hostile files derived from a few valid seeds (a people CSV in Windows-1252 and
in UTF-8 with BOM, a people XLSX):
byte flips, truncation, corrupted or damaged zip members, wrong encodings (UTF-16 with and
without BOM, UTF-32, Latin-1 inside a UTF-8 BOM), XML bombs (billion laughs and quadratic
blow-up in sheet1.xml, sharedStrings.xml or workbook.xml, external entities), zip bombs
(a sheet compressed more than 1,000 times), a single gigantic row, too many rows, too many
columns, too many empty lines, over-long lines and unclosed quotes, hostile zip layouts
(duplicate names, `..`, nested archives, thousands of members), binary files renamed.

`big_csv` and `bomb_xlsx` write the two large files of the issue to disk (the benchmark).
"""

from __future__ import annotations

import csv
import functools
import io
import random
import warnings
import zipfile
from collections.abc import Callable, Iterator

from common.spreadsheets import xlsx_write

HEADER = ["Prénom", "Nom", "Année de naissance", "Code INSEE", "Informée le"]
FIRST_NAMES = ["Hélène", "Marc", "Zoé", "André", "Léa", "Noël", "Françoise", "Éric"]


def seed_rows(count: int = 6) -> list[list[str]]:
    return [
        [FIRST_NAMES[i % len(FIRST_NAMES)], f"Durand{i}", str(1940 + i), "85191", "25/03/2024"]
        for i in range(count)
    ]


def csv_text(rows, *, delimiter=";") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


@functools.cache
def seeds() -> dict[str, tuple[str, bytes]]:
    rows = [HEADER, *seed_rows()]
    return {
        "csv-cp1252": ("personnes.csv", csv_text(rows).encode("cp1252")),
        "csv-utf8-bom": ("personnes.csv", b"\xef\xbb\xbf" + csv_text(rows, delimiter=",").encode()),
        "xlsx": ("personnes.xlsx", xlsx_write(HEADER, seed_rows(), title="Personnes")),
        "xlsx-shared": ("personnes.xlsx", shared_strings_workbook(rows)),
    }


def shared_strings_workbook(rows) -> bytes:
    """A workbook as Excel writes it, text in xl/sharedStrings.xml (our own export and
    openpyxl write inline strings)."""
    strings: dict[str, int] = {}
    body = []
    for number, row in enumerate(rows, start=1):
        cells = []
        for value in row:
            index = strings.setdefault(value, len(strings))
            cells.append(f'<c t="s"><v>{index}</v></c>')
        body.append(f'<row r="{number}">{"".join(cells)}</row>')
    sst = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{MAIN_NS}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{text}</t></si>" for text in strings)
        + "</sst>"
    ).encode()
    members = dict(zip_members(xlsx_write(HEADER, [], title="Personnes")))
    members["xl/worksheets/sheet1.xml"] = sheet_xml("".join(body))
    members["xl/sharedStrings.xml"] = sst
    members["xl/_rels/workbook.xml.rels"] = members["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    return zip_build(list(members.items()))


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# --- zip helpers -------------------------------------------------------------------------


def zip_members(content: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def zip_build(members, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # duplicate names are on purpose
        with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
            for name, data in members:
                archive.writestr(name, data)
    return buffer.getvalue()


def zip_replace(content: bytes, name: str, data: bytes) -> bytes:
    return zip_build([(n, data if n == name else d) for n, d in zip_members(content)])


def sheet_xml(rows_xml: str, *, prolog: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"{prolog}"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows_xml}</sheetData></worksheet>"
    ).encode()


def inline_row(number: int, values) -> str:
    cells = "".join(
        f'<c t="inlineStr"><is><t>{value}</t></is></c>'
        if isinstance(value, str)
        else f"<c><v>{value}</v></c>"
        for value in values
    )
    return f'<row r="{number}">{cells}</row>' if number else f"<row>{cells}</row>"


def header_rows_xml() -> str:
    return inline_row(1, HEADER)


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)
QUADRATIC = '<!DOCTYPE q [<!ENTITY a "' + "a" * 50_000 + '">]>'
EXTERNAL = '<!DOCTYPE x [<!ENTITY ext SYSTEM "file:///etc/passwd">]>'


def xml_bomb(xlsx: bytes, member: str, kind: str) -> bytes:
    prolog = {"laughs": LAUGHS, "quadratic": QUADRATIC, "external": EXTERNAL}[kind]
    reference = {"laughs": "&lol9;", "quadratic": "&a;" * 2000, "external": "&ext;"}[kind]
    if member == "xl/worksheets/sheet1.xml":
        data = sheet_xml(
            header_rows_xml() + inline_row(2, [reference, "Durand", 1950]), prolog=prolog
        )
    else:
        original = dict(zip_members(xlsx)).get(member, b"").decode()
        head, _sep, rest = original.partition("?>")
        if not _sep:
            head, rest = "", original
        else:
            head += "?>"
        data = (head + prolog + rest.replace("Durand0", reference, 1)).encode()
    return zip_replace(xlsx, member, data)


def ratio_bomb(rows: int) -> bytes:
    """A sheet of `rows` identical rows: compressed about 1,000 times."""
    body = header_rows_xml() + "".join(
        inline_row(None, ["Hélène", "Durand", 1950, "85191"]) for _n in range(rows)
    )
    return zip_replace(seeds()["xlsx"][1], "xl/worksheets/sheet1.xml", sheet_xml(body))


def many_rows_xlsx(rows: int, rng: random.Random) -> bytes:
    """Rows of varied (badly compressible) values: refused by the row count, not the ratio."""
    body = header_rows_xml() + "".join(
        inline_row(n, [f"P{rng.getrandbits(40):x}", f"N{rng.getrandbits(40):x}", 1900 + n % 120])
        for n in range(2, rows + 2)
    )
    return zip_replace(seeds()["xlsx"][1], "xl/worksheets/sheet1.xml", sheet_xml(body))


def wide_row_xlsx(cells: int, rng: random.Random) -> bytes:
    """One row of `cells` short varied cells: megabytes of XML in one `<row>`."""
    row = "<row>" + "".join(f"<c><v>{rng.getrandbits(20)}</v></c>" for _ in range(cells)) + "</row>"
    return zip_replace(
        seeds()["xlsx"][1], "xl/worksheets/sheet1.xml", sheet_xml(header_rows_xml() + row)
    )


# --- mutations ---------------------------------------------------------------------------


def flip(content: bytes, rng: random.Random) -> bytes:
    data = bytearray(content)
    for _ in range(rng.randint(1, 12)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def truncate(content: bytes, rng: random.Random) -> bytes:
    return content[: rng.randrange(1, len(content))]


def member_corrupt(xlsx: bytes, rng: random.Random) -> bytes:
    """Flip bytes inside one member's compressed data (zlib.error, bad CRC...)."""
    data = bytearray(xlsx)
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        info = rng.choice(archive.infolist())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for _ in range(rng.randint(1, 6)):
        position = start + rng.randrange(max(1, info.compress_size))
        if position < len(data):
            data[position] ^= 1 << rng.randrange(8)
    return bytes(data)


def member_damage(xlsx: bytes, rng: random.Random) -> bytes:
    """Rebuild the zip with one member's XML damaged (well compressed, badly formed)."""
    members = zip_members(xlsx)
    index = rng.randrange(len(members))
    name, data = members[index]
    choice = rng.randrange(5)
    if choice == 0:
        data = data[: rng.randrange(1, max(2, len(data)))]
    elif choice == 1:
        data = flip(data, rng) if data else b"<"
    elif choice == 2:
        data = b""
    elif choice == 3:
        data = data.replace(b"<", b"<<", 1)
    else:
        members.pop(index)
        return zip_build(members)
    members[index] = (name, data)
    return zip_build(members)


def xlsx_value_damage(rng: random.Random) -> bytes:
    """Cells openpyxl has to convert: bad numbers, dates, shared string indexes, errors."""
    cells = rng.choice(
        [
            '<c t="s"><v>99999</v></c>',
            '<c t="s"><v>-1</v></c>',
            '<c t="s"><v>abc</v></c>',
            "<c><v>1e400</v></c>",
            "<c><v>not-a-number</v></c>",
            '<c t="d"><v>2024-13-45</v></c>',
            '<c t="b"><v>maybe</v></c>',
            '<c t="e"><v>#DIV/0!</v></c>',
            '<c s="999"><v>45000</v></c>',
            '<c r="ZZZZZ9"><v>1</v></c>',
            '<c r="A0"><v>1</v></c>',
            '<c t="inlineStr"><is></is></c>',
        ]
    )
    rows = header_rows_xml() + f'<row r="2">{cells}</row>'
    return zip_replace(seeds()["xlsx"][1], "xl/worksheets/sheet1.xml", sheet_xml(rows))


def encoding_mutant(rng: random.Random) -> bytes:
    text = csv_text([HEADER, *seed_rows()])
    choice = rng.randrange(8)
    if choice == 0:
        return text.encode("utf-16")  # with BOM: read
    if choice == 1:
        return text.encode("utf-16-le")  # without BOM: NUL bytes
    if choice == 2:
        return text.encode("utf-32")
    if choice == 3:
        return b"\xef\xbb\xbf" + text.encode("latin-1")  # BOM says UTF-8, content is not
    if choice == 4:
        return text.encode("utf-8") + "Zoé;Noël".encode("cp1252")  # mixed
    if choice == 5:
        return b"\xfe\xff" + text.encode("utf-16-be")[: rng.randrange(3, 50) * 2 + 1]
    if choice == 6:
        return text.encode("cp1252") + b"\x81\x8d\x8f\x90\x9d"  # undefined in cp1252
    return b"\xff\xfe" + bytes(rng.randrange(256) for _ in range(301))


def csv_structure_mutant(rng: random.Random, *, max_rows: int) -> bytes:
    choice = rng.randrange(9)
    head = csv_text([HEADER])
    if choice == 0:  # unclosed quote
        return (head + 'Zoé;"Roux;1950;85191;\r\n' + "x;y;z\r\n" * 50).encode()
    if choice == 1:  # a cell larger than the csv module's field limit
        return (head + "Zoé;" + "a" * 200_000 + ";1950\r\n").encode()
    if choice == 2:  # a line over the line limit, without any separator
        return (head + "b" * 1_100_000).encode()
    if choice == 3:  # too many columns
        return (head + ";".join(["x"] * 250) + "\r\n").encode()
    if choice == 4:  # too many empty lines
        return (head + "\r\n" * 100_100 + "Zoé;Roux;1950;85191;\r\n").encode()
    if choice == 5:  # one row more than the limit
        rows = "".join(f"A{i};B;1950;85191;\r\n" for i in range(max_rows + 1))
        return (head + rows).encode()
    if choice == 6:  # only a header / only separators / only blanks
        return rng.choice([head, ";;;;\r\n;;;\r\n", "\r\n\r\n   \r\n", ""]).encode()
    if choice == 7:  # NUL bytes in the middle
        return (head + "Zoé;Roux\x00;1950;85191;\r\n").encode()
    return (head + "Zoé;Roux;1950;85191;;;;extra;values;\r\n").encode()  # wider than header


def zip_layout_mutant(rng: random.Random) -> bytes:
    xlsx = seeds()["xlsx"][1]
    members = zip_members(xlsx)
    choice = rng.randrange(6)
    if choice == 0:  # duplicate member name
        return zip_build([*members, ("xl/worksheets/sheet1.xml", sheet_xml(""))])
    if choice == 1:
        return zip_build([*members, ("../../etc/evil.xml", b"<a/>")])
    if choice == 2:
        return zip_build([*members, ("xl/embedded.zip", xlsx)])
    if choice == 3:
        return zip_build([*members, *((f"xl/pad{i}.xml", b"<a/>") for i in range(1200))])
    if choice == 4:  # stored (uncompressed) members: still a valid workbook
        return zip_build(members, compression=zipfile.ZIP_STORED)
    return zip_build([(n, d) for n, d in members if n != "xl/workbook.xml"])


def binary_mutant(rng: random.Random) -> tuple[str, bytes]:
    return rng.choice(
        [
            ("image.csv", b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(200))),
            ("document.xlsx", b"%PDF-1.4\n" + b"x" * 100),
            ("ancien.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200),
            ("archive.csv", b"\x1f\x8b\x08\x00" + b"\x00" * 50),
            ("vide.xlsx", b""),
            ("zip-vide.xlsx", zip_build([])),
            ("programme.csv", b"MZ\x90\x00" + b"\x00" * 60),
            ("texte.xlsx", "Prénom;Nom\r\nZoé;Roux\r\n".encode()),
            ("classeur.csv", seeds()["xlsx"][1]),
            ("sans-extension", b"a;b\r\n"),
        ]
    )


KINDS = (
    "flip-csv",
    "flip-xlsx",
    "truncate-csv",
    "truncate-xlsx",
    "member-corrupt",
    "member-damage",
    "value-damage",
    "encoding",
    "csv-structure",
    "xml-bomb",
    "zip-bomb",
    "wide-row",
    "many-rows-xlsx",
    "zip-layout",
    "binary",
)
# Heavier mutants (MBs of data) are drawn less often.
WEIGHTS = (12, 12, 8, 8, 12, 10, 6, 6, 6, 8, 1, 1, 1, 4, 5)


def _any_xlsx(base: dict[str, tuple[str, bytes]], rng: random.Random) -> bytes:
    return base[rng.choice(["xlsx", "xlsx-shared"])][1]


def _flip_csv(rng: random.Random, base, max_rows: int) -> tuple[str, bytes]:
    name, content = base[rng.choice(["csv-cp1252", "csv-utf8-bom"])]
    return name, flip(content, rng)


def _xml_bomb(rng: random.Random, base, max_rows: int) -> tuple[str, bytes]:
    member = rng.choice(
        ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml", "xl/styles.xml"]
    )
    return "personnes.xlsx", xml_bomb(
        base["xlsx-shared"][1], member, rng.choice(["laughs", "quadratic", "external"])
    )


def _many_rows(rng: random.Random, base, max_rows: int) -> tuple[str, bytes]:
    return "long.xlsx", many_rows_xlsx(max_rows + 10_002 + rng.randint(1, 500), rng)


# One builder per kind, called as (rng, seeds, max_rows); each draws from `rng` in a fixed
# order, so that a seed always gives the same files.
_BUILDERS: dict[str, Callable[[random.Random, dict, int], tuple[str, bytes]]] = {
    "flip-csv": _flip_csv,
    "flip-xlsx": lambda rng, base, _m: ("personnes.xlsx", flip(_any_xlsx(base, rng), rng)),
    "truncate-csv": lambda rng, base, _m: ("personnes.csv", truncate(base["csv-cp1252"][1], rng)),
    "truncate-xlsx": lambda rng, base, _m: ("personnes.xlsx", truncate(base["xlsx"][1], rng)),
    "member-corrupt": lambda rng, base, _m: (
        "personnes.xlsx",
        member_corrupt(_any_xlsx(base, rng), rng),
    ),
    "member-damage": lambda rng, base, _m: (
        "personnes.xlsx",
        member_damage(_any_xlsx(base, rng), rng),
    ),
    "value-damage": lambda rng, _b, _m: ("personnes.xlsx", xlsx_value_damage(rng)),
    "encoding": lambda rng, _b, _m: ("personnes.csv", encoding_mutant(rng)),
    "csv-structure": lambda rng, _b, max_rows: (
        "personnes.csv",
        csv_structure_mutant(rng, max_rows=max_rows),
    ),
    "xml-bomb": _xml_bomb,
    "zip-bomb": lambda rng, _b, _m: ("bombe.xlsx", ratio_bomb(rng.randint(60_000, 120_000))),
    "wide-row": lambda rng, _b, _m: (
        "large.xlsx",
        wide_row_xlsx(rng.randint(150_000, 250_000), rng),
    ),
    "many-rows-xlsx": _many_rows,
    "zip-layout": lambda rng, _b, _m: ("personnes.xlsx", zip_layout_mutant(rng)),
}


def mutant(rng: random.Random, kind: str, *, max_rows: int) -> tuple[str, bytes]:
    base = seeds()
    build = _BUILDERS.get(kind)
    if build is None:
        return binary_mutant(rng)
    return build(rng, base, max_rows)


def mutants(seed: int, count: int, *, max_rows: int) -> Iterator[tuple[str, str, bytes]]:
    """`count` reproducible (kind, filename, content) mutants."""
    rng = random.Random(seed)
    for index in range(count):
        kind = rng.choices(KINDS, weights=WEIGHTS)[0]
        filename, content = mutant(rng, kind, max_rows=max_rows)
        yield f"{index:04d}-{kind}", filename, content


# --- the two large files (benchmark) ---------------------------------------------


def big_csv(path, *, rows: int = 2_500_000) -> None:
    """About 29 MB: 2.5 million short lines (as in the issue)."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("Prénom;Nom;Année de naissance\r\n")
        for i in range(rows):
            out.write(f"A{i % 10};B{i % 7};{1900 + i % 100}\r\n")


def bomb_xlsx(path, *, rows: int = 2_000_000) -> None:
    """A workbook whose sheet holds `rows` identical rows (a zip bomb), streamed to disk."""
    xlsx = seeds()["xlsx"][1]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in zip_members(xlsx):
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head, _sep, _rest = sheet_xml("@@").decode().partition("@@")
            sheet.write(head.encode() + header_rows_xml().encode())
            row = inline_row(None, ["Hélène", "Durand", 1950, "85191"]).encode()
            batch = []
            for _n in range(rows):
                batch.append(row)
                if len(batch) == 10_000:
                    sheet.write(b"".join(batch))
                    batch = []
            sheet.write(b"".join(batch) + b"</sheetData></worksheet>")
