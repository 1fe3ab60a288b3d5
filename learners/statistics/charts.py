"""Charts of the published statistics tables, drawn with the shared SVG helpers of
`learners.charts`. A chart reads the *published* cells only: a suppressed figure is drawn
as no bar (or a gap in a line) labelled "< 5", so a bar's length never reveals it."""

from __future__ import annotations

from django.utils.safestring import SafeString

from learners.charts import bar_chart, lines_chart

from .report import PERCENT, Table

MAX_BARS = 25


def table_chart(table: Table) -> SafeString | None:
    """The SVG chart of `table` (its `chart` spec), None when it has none or no rows."""
    spec = table.chart
    if spec is None:
        return None
    rows = [row for row in table.rows if not row.is_total][:MAX_BARS]
    if not rows:
        return None
    if spec.kind == "lines":
        series = []
        for key in spec.columns:
            index = table.column_index(key)
            series.append(
                (
                    table.columns[index].label,
                    [(row.label, row.cells[index].value, row.cells[index].text) for row in rows],
                )
            )
        return lines_chart(series, title=spec.title, chart_id=f"chart-{table.key}", y_min=0)
    index = table.column_index(spec.columns[0])
    column = table.columns[index]
    points = [(row.label, row.cells[index].value, row.cells[index].text) for row in rows]
    return bar_chart(
        points,
        title=spec.title,
        chart_id=f"chart-{table.key}",
        max_value=100 if column.kind == PERCENT else None,
    )
