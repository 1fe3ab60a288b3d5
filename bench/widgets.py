"""Benchmark of the Python widget renderer (learners/forms/widgets.py) against Django's own
template renderer with the cached template loader.

The question: does writing the widgets' HTML in Python still pay, now that Django's
template loader is cached (on whenever DEBUG is off, as in production and in the
embedded default)? The renderer stays only if it makes the real form's render at least
`KEEP_MARGIN` (20 %) faster; otherwise Django's renderer is enough.

One run, in this process, no database (the sheet is built from unsaved model objects,
with ids, as the selector returns them):
1. configures Django with the development settings, DEBUG off (checks that the form
   renderer's template engine has the cached loader);
2. builds the real `AttendanceSheetForm` for a sheet of `--people` people (12) and
   `--competences` competences (3), and for a large sheet (30 people, 5 competences);
3. renders, `--runs` times (30) after a warm-up, (a) every widget of the form as the page
   does (`{{ field }}` and `{{ radio.tag }}`), and (b) every line of the sheet through the
   page's own template (`learners/admin/sessions/_sheet_line.html`), once with the Python
   renderer and once with Django's (the mixin's `_render` swapped for Django's
   `Widget._render`), alternating the two so that the machine's load hits both alike;
4. checks that both ways give the same HTML, prints a table and writes
   bench/results/widgets.txt and widgets.json.

Usage: `.venv/bin/python bench/widgets.py [--runs 30] [--people 12] [--competences 3]`.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/statistics.py is named like the standard library's `statistics`: take this folder
# off the path (Python put it first) so `import statistics` means the standard library.
BENCH_DIR = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH_DIR]

import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
KEEP_MARGIN = 0.20


def log(message: str) -> None:
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def setup_django() -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


def cached_loader_on() -> bool:
    from django.forms.renderers import get_default_renderer

    engine = get_default_renderer().engine.engine
    return any(
        type(loader).__name__ == "Loader" and "cached" in type(loader).__module__
        for loader in engine.template_loaders
    )


def build_sheet(*, people: int, competences: int):
    """An AttendanceSheet as the selector returns it, from unsaved objects with ids."""
    from learners.models import Attendance, Learner, Session
    from learners.selectors.sessions import AttendanceSheet, SheetLine
    from workshops.models import Competence, Level

    framework_id = 1
    levels = [
        Level(pk=10 + rank, rank=rank, name=f"Niveau {rank}", framework_id=framework_id)
        for rank in range(1, 5)
    ]
    skills = [
        Competence(
            pk=100 + n, code=f"C{n}", name=f"Compétence numéro {n}", framework_id=framework_id
        )
        for n in range(1, competences + 1)
    ]
    session = Session(pk=1, capacity=people)
    lines = []
    for n in range(1, people + 1):
        learner = Learner(
            pk=1000 + n, first_name=f"Prénom{n}", last_name="Martin", birth_year=1950 + n
        )
        attendance = Attendance(
            pk=5000 + n, learner=learner, session=session, status="registered", referred_to=""
        )
        lines.append(
            SheetLine(attendance=attendance, levels={}, current_levels={skills[0].pk: levels[1]})
        )
    return AttendanceSheet(
        session=session,
        competences=skills,
        levels_by_framework={framework_id: levels},
        lines=lines,
        anonymous_participants=[],
    )


def render_widgets(form) -> str:
    """Every widget as the sheet's template writes it: `{{ field }}`, `{{ radio.tag }}`."""
    parts = []
    for lf in form.line_fields:
        parts.extend(radio.tag() for radio in lf.status)
        parts.extend(str(bound) for bound in (lf.equipment, lf.autonomy, lf.referred_to))
        parts.extend(str(cell.field) for cell in lf.levels)
    return "".join(parts)


def render_lines(form) -> str:
    from django.template.loader import get_template

    template = get_template("learners/admin/sessions/_sheet_line.html")
    return "".join(template.render({"lf": lf}) for lf in form.line_fields)


def timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def summary(times: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(times) * 1000, 3),
        "min_ms": round(min(times) * 1000, 3),
        "max_ms": round(max(times) * 1000, 3),
        "runs": len(times),
    }


def measure_case(*, people: int, competences: int, runs: int) -> dict:
    from unittest import mock

    from django import forms

    from learners.forms import widgets
    from learners.forms.sessions import AttendanceSheetForm

    sheet = build_sheet(people=people, competences=competences)

    def fresh_form():
        return AttendanceSheetForm(sheet=sheet)

    django_way = mock.patch.object(widgets.PythonRenderMixin, "_render", forms.Widget._render)
    outputs, results = {}, {}
    for what, render in (("widgets", render_widgets), ("lines", render_lines)):
        python_times, django_times = [], []
        # Warm-up (templates compiled and cached, verdicts of the Python renderer known).
        outputs[(what, "python")] = render(fresh_form())
        with django_way:
            outputs[(what, "django")] = render(fresh_form())
        load = load_average()
        for _ in range(runs):  # alternate, so that the machine's load hits both alike
            form = fresh_form()
            python_times += timed(lambda f=form, r=render: r(f), 1)
            form = fresh_form()
            with django_way:
                django_times += timed(lambda f=form, r=render: r(f), 1)
        python, django_ = summary(python_times), summary(django_times)
        gain = 1 - python["median_ms"] / django_["median_ms"]
        results[what] = {
            "python": python,
            "django": django_,
            "gain": round(gain, 3),
            "same_html": outputs[(what, "python")] == outputs[(what, "django")],
            "html_bytes": len(outputs[(what, "python")]),
            "load_before": load,
        }
        log(
            f"{people} people × {competences} competences, {what}: python "
            f"{python['median_ms']:.2f} ms, django {django_['median_ms']:.2f} ms "
            f"({gain:+.0%})"
        )
    widget_count = sum(len(list(lf.status)) + 3 + len(lf.levels) for lf in fresh_form().line_fields)
    return {"people": people, "competences": competences, "widget_count": widget_count, **results}


def render_text(payload: dict) -> str:
    lines = [
        "Widget renderer benchmark: learners/forms/widgets.py against Django's renderer",
        f"Date: {payload['date']}",
        f"Machine: {payload['machine']}",
        f"Django {payload['django']}, DEBUG off, cached template loader: "
        f"{'on' if payload['cached_loader'] else 'OFF'}",
        f"Runs: {payload['runs']} per way (median), alternating; keep the Python renderer "
        f"only if the sheet's lines render ≥ {KEEP_MARGIN:.0%} faster",
        "",
        f"{'Case':<40}{'What':<10}{'Python ms':>11}{'Django ms':>11}{'Gain':>8}  Same HTML",
    ]
    for case in payload["cases"]:
        label = (
            f"{case['people']} people × {case['competences']} comp. "
            f"({case['widget_count']} widgets)"
        )
        for what in ("widgets", "lines"):
            r = case[what]
            lines.append(
                f"{label:<40}{what:<10}{r['python']['median_ms']:>11.2f}"
                f"{r['django']['median_ms']:>11.2f}{r['gain']:>8.0%}  "
                f"{'yes' if r['same_html'] else 'NO'}"
            )
    lines += ["", f"Verdict: {payload['verdict']}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--people", type=int, default=12)
    parser.add_argument("--competences", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    import django

    cached = cached_loader_on()
    log(f"cached template loader of the form renderer: {cached}")
    cases = [
        measure_case(people=args.people, competences=args.competences, runs=args.runs),
        measure_case(people=30, competences=5, runs=args.runs),
    ]
    real = cases[0]["lines"]["gain"]
    keep = real >= KEEP_MARGIN
    verdict = f"the real sheet's lines render {real:.0%} faster with the Python renderer: " + (
        "keep it" if keep else f"below {KEEP_MARGIN:.0%}, use Django's renderer"
    )
    payload = {
        "date": datetime.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.node()} · {os.cpu_count()} CPU · Python {platform.python_version()}",
        "cpu_count": os.cpu_count(),
        "django": django.get_version(),
        "cached_loader": cached,
        "runs": args.runs,
        "keep_margin": KEEP_MARGIN,
        "cases": cases,
        "keep": keep,
        "verdict": verdict,
    }
    text = render_text(payload)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "widgets.txt").write_text(text, encoding="utf-8")
    (RESULTS / "widgets.json").write_text(
        json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
