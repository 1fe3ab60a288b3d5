"""learners.charts: well-formed, labelled, escaped SVG; table equivalents."""

import re
import xml.etree.ElementTree as ET

import pytest

from learners.charts import bar_chart, data_table, line_chart, lines_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    return root


def texts(root) -> list[str]:
    return [el.text for el in root.iter(f"{SVG}text")]


def test_bar_chart_is_labelled_and_escapes_data():
    svg = bar_chart(
        [("Landeronde", 12), ("<script>alert(1)</script>", 3.5), ("Venansault", None, "< 5")],
        title="Personnes & communes",
        description="Par commune de résidence",
        chart_id="c1",
    )
    assert "<script>" not in svg
    root = parse(svg)
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Personnes & communes"
    assert root.find(f"{SVG}desc").text == "Par commune de résidence"
    assert "<script>alert(1)</script>" in texts(root)  # shown as text, not markup
    assert "3,5" in texts(root) and "< 5" in texts(root)
    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    assert len(widths) == 2  # no bar for the suppressed value
    assert widths[0] > widths[1] > 0
    assert widths[0] / widths[1] == pytest.approx(12 / 3.5, rel=0.01)


def test_bar_chart_rejects_text_values():
    with pytest.raises(TypeError):
        bar_chart([("a", "12")], title="t")


def test_step_chart_holds_each_level_until_the_next():
    svg = line_chart(
        [("01/02", 0), ("03/02", 1), ("05/03", 3)],
        title="Souris",
        step=True,
        y_ticks=[(0, "Non acquis"), (1, "En cours"), (2, "Acquis"), (3, "Autonome")],
        chart_id="c2",
    )
    root = parse(svg)
    for name in ("Non acquis", "En cours", "Acquis", "Autonome", "01/02", "05/03"):
        assert name in texts(root)
    points = [
        tuple(map(float, pair.split(",")))
        for pair in root.find(f"{SVG}polyline").get("points").split()
    ]
    # Horizontal then vertical: every other point repeats the previous y.
    assert points[1][1] == points[0][1] and points[1][0] == points[2][0]
    assert points[-1][1] < points[0][1]  # higher level drawn higher
    assert len(list(root.iter(f"{SVG}circle"))) == 3


def test_many_x_labels_are_thinned_but_keep_both_ends():
    data = [(f"{day:02d}/01", day % 4) for day in range(1, 61)]
    root = parse(line_chart(data, title="t", width=420))
    shown = [t for t in texts(root) if t and "/" in t]
    assert shown[0] == "01/01" and shown[-1] == "60/01"
    assert 2 <= len(shown) < 20


def test_lines_chart_tells_series_apart_without_colour():
    svg = lines_chart(
        [("2024", [("jan", 3), ("fév", None), ("mar", 5)]), ("2025", [("jan", 4), ("fév", 6)])],
        title="Par mois",
        chart_id="c3",
    )
    root = parse(svg)
    assert "2024" in texts(root) and "2025" in texts(root)
    dashes = {
        line.get("stroke-dasharray") for line in root.iter(f"{SVG}line") if line.get("stroke-width")
    }
    assert len(dashes) == 2  # legend samples differ by dash pattern
    assert root.find(f"{SVG}rect") is not None  # and by marker shape (square)
    # The gap in 2024 breaks its line: only the 2025 series draws a polyline.
    assert len(list(root.iter(f"{SVG}polyline"))) == 1


def test_data_table():
    html = data_table(
        caption="Personnes par commune",
        headers=["Commune", "Personnes"],
        rows=[["Landeronde", 12], ["<b>X</b>", 2.5]],
    )
    assert "<caption>Personnes par commune</caption>" in html
    assert html.count('<th scope="col">') == 2
    assert html.count('<th scope="row">') == 2
    assert "&lt;b&gt;X&lt;/b&gt;" in html and "<td>2,5</td>" in html


def test_ids_are_unique_by_default():
    first = bar_chart([("a", 1)], title="t")
    second = bar_chart([("a", 1)], title="t")
    ids = re.findall(r'id="([^"]+)"', first + second)
    assert len(ids) == len(set(ids))
