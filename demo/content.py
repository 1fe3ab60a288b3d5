"""Reads the demo guides and ateliers from their data files (`demo/content/`).

One YAML file per guide (`guides/<slug>.yaml`) and per atelier (`ateliers/<slug>.yaml`);
`contents.yaml` lists the slugs in the order the pages are created (their order in the
page tree). A guide's steps name their image; its `screens` mapping describes each image,
which `demo.screens` draws (see that module for the kinds of items).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from demo.screens import Screen

CONTENT_DIR = Path(__file__).resolve().parent / "content"
DEFAULT_ACCENT = "#1f5fbf"

# The C loader when PyYAML was built with libyaml: the same result, several times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_Loader)  # noqa: S506 - a safe loader


def _slugs(kind: str) -> list[str]:
    """The slugs listed in `contents.yaml`, checked against the files present."""
    slugs = _read(CONTENT_DIR / "contents.yaml")[kind]
    present = {path.stem for path in (CONTENT_DIR / kind).glob("*.yaml")}
    if set(slugs) != present or len(slugs) != len(present):
        raise ValueError(
            f"demo/content/contents.yaml lists {kind} {sorted(slugs)}, "
            f"the folder holds {sorted(present)}"
        )
    return slugs


def _tuples(value: Any) -> Any:
    """YAML lists back into the tuples a `Screen` holds (it is hashable)."""
    if isinstance(value, list):
        return tuple(_tuples(item) for item in value)
    return value


def screen_build(data: dict) -> Screen:
    return Screen(
        data["frame"],
        data["header"],
        _tuples(data["items"]),
        url=data.get("url", ""),
        accent=data.get("accent", DEFAULT_ACCENT),
        extra=data.get("extra", {}),
    )


def guides(kind: str = "guides") -> list[dict]:
    """Every guide, each step carrying its `screen` (drawn later) and empty tip/warning
    when the file has none. `kind` "partner_guides": those a partner structure's editor
    writes in its own section (`demo.tracking`, once the structure exists)."""
    found = []
    for slug in _slugs(kind):
        data = _read(CONTENT_DIR / kind / f"{slug}.yaml")
        screens = data.pop("screens")
        data["slug"] = slug
        data["steps"] = [
            {
                **step,
                "screen": screen_build(screens[step["image"]]),
                "tip": step.get("tip", ""),
                "warning": step.get("warning", ""),
            }
            for step in data["steps"]
        ]
        found.append(data)
    return found


def ateliers() -> list[dict]:
    """Every atelier, as its file says, with its slug."""
    return [
        {**_read(CONTENT_DIR / "ateliers" / f"{slug}.yaml"), "slug": slug}
        for slug in _slugs("ateliers")
    ]
