"""Form widgets that write Django's own widget HTML in Python instead of through the
template-based form renderer.

Why: on the attendance sheet (12 people, 3 competences) Django renders 108 widget
templates per page (4 radio buttons, 5 selects and a text input per person), and those
template renders were about half of the page's CPU time. These widgets produce the same
bytes as Django's templates `django/forms/widgets/{input,text,number,date,time,...}.html`,
`select.html` + `select_option.html`, `radio.html`/`checkbox_select.html`
(`multiple_input.html`) + `radio_option.html`/`checkbox_option.html`
(`input_option.html`), `textarea.html` and `attrs.html`, whitespace and newlines included
(tests/learners/forms/test_widgets.py compares them with Django's widgets).

Still worth it with Django's cached template loader (on whenever DEBUG is off):
bench/widgets.py renders the real attendance sheet (12 people, 3 competences) both ways;
its lines render about 70 % faster with these widgets (33 ms against 106 ms on a loaded
2-core machine; the widgets alone about 86 % faster). Keep them while the lines render at
least 20 % faster; below that, Django's renderer is simpler.

Only `Widget._render` is replaced: the context (`get_context`, `optgroups`, `BoundWidget`
for `{% for radio in field %}`) is Django's. A template is built in Python only when the
renderer resolves it, and everything it includes, to Django's own file (checked once per
renderer and template): a project or app overriding a widget template, another renderer
(Jinja2), an unknown template or a callable value falls back to Django's template render.
"""

from __future__ import annotations

import html
import weakref
from pathlib import Path

import django.forms
from django import forms
from django.forms.renderers import get_default_renderer
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime

_PREFIX = "django/forms/widgets/"
_DJANGO_TEMPLATES = (Path(django.forms.__file__).resolve().parent / "templates").resolve()

_INPUT = f"{_PREFIX}input.html"
_ATTRS = f"{_PREFIX}attrs.html"
_SELECT = f"{_PREFIX}select.html"
_SELECT_OPTION = f"{_PREFIX}select_option.html"
_MULTIPLE_INPUT = f"{_PREFIX}multiple_input.html"
_INPUT_OPTION = f"{_PREFIX}input_option.html"
_TEXTAREA = f"{_PREFIX}textarea.html"

# Templates that only `{% include "django/forms/widgets/input.html" %}`.
_INPUT_TEMPLATES = {
    f"{_PREFIX}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "search",
        "tel",
        "color",
        "date",
        "datetime",
        "time",
        "checkbox",
    )
}
_MULTIPLE_TEMPLATES = {f"{_PREFIX}radio.html", f"{_PREFIX}checkbox_select.html", _MULTIPLE_INPUT}
_OPTION_TEMPLATES = {f"{_PREFIX}radio_option.html", f"{_PREFIX}checkbox_option.html", _INPUT_OPTION}


def _dependencies(template_name: str) -> tuple[str, ...]:
    """Every template `template_name` renders through (itself included)."""
    if template_name in _INPUT_TEMPLATES:
        return (template_name, _INPUT, _ATTRS)
    if template_name == _SELECT:
        return (_SELECT, _ATTRS)
    if template_name == _SELECT_OPTION:
        return (_SELECT_OPTION, _ATTRS)
    if template_name in _MULTIPLE_TEMPLATES:
        return (template_name, _MULTIPLE_INPUT)
    if template_name in _OPTION_TEMPLATES:
        return (template_name, _INPUT_OPTION, _INPUT, _ATTRS)
    if template_name == _TEXTAREA:
        return (_TEXTAREA, _ATTRS)
    return ()


# id(renderer) -> (weak reference to it, {template name: True when it and its includes
# are Django's own files}); the entry goes when the renderer does.
_verdicts: dict[int, tuple[weakref.ref, dict[str, bool]]] = {}


def _is_django_file(renderer, template_name: str) -> bool:
    try:
        origin = renderer.get_template(template_name).origin.name
        return Path(origin).resolve() == _DJANGO_TEMPLATES / template_name
    except Exception:  # noqa: BLE001 - any doubt: let Django render it
        return False


def _known(renderer) -> dict[str, bool]:
    key = id(renderer)
    entry = _verdicts.get(key)
    if entry is not None and entry[0]() is renderer:
        return entry[1]
    try:
        ref = weakref.ref(renderer, lambda _ref: _verdicts.pop(key, None))
    except TypeError:  # a renderer that cannot be weakly referenced: no cache
        return {}
    known: dict[str, bool] = {}
    _verdicts[key] = (ref, known)
    return known


def _builtin(renderer, template_name: str) -> bool:
    known = _known(renderer)
    verdict = known.get(template_name)
    if verdict is None:
        names = _dependencies(template_name)
        verdict = bool(names) and all(_is_django_file(renderer, name) for name in names)
        known[template_name] = verdict
    return verdict


class _Fallback(Exception):
    """A value the template engine would treat specially (a callable): render it there."""


def _text(value) -> str:
    """`{{ value }}`: what `render_value_in_context` does with autoescaping on."""
    if type(value) is str:
        return html.escape(value)  # what django.utils.html.escape does, minus its wrappers
    if isinstance(value, str):
        return conditional_escape(value)
    if callable(value):
        raise _Fallback
    value = localize(template_localtime(value))
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)


def _stringformat(value) -> str:
    """`{{ value|stringformat:'s' }}`."""
    if type(value) is str:
        return html.escape(value)
    if isinstance(value, str):
        return conditional_escape(value)
    if callable(value):
        raise _Fallback
    text = "%s" % (str(value) if isinstance(value, tuple) else value)  # noqa: UP031
    # The filter is `is_safe`: safe in, safe out (then not escaped again).
    return text if isinstance(value, SafeData) else html.escape(text)


def _attrs(attrs: dict) -> str:
    """`attrs.html`: True → bare name, False → left out, else name="value"."""
    if not attrs:
        return ""
    if "items" in attrs:  # the template would look up attrs["items"]
        raise _Fallback
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {_text(name)}")
        else:
            parts.append(f' {_text(name)}="{_stringformat(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    """`input.html`, with its final newline (it matters where it is included)."""
    value = widget["value"]
    value_attr = "" if value is None else f' value="{_stringformat(value)}"'
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{value_attr}{_attrs(widget['attrs'])}>\n"
    )


def _input_option(option: dict) -> str:
    """`input_option.html`, final newline included."""
    if not option.get("wrap_label"):
        return f"{_input(option)}\n"
    attrs_id = option["attrs"].get("id")
    label_for = f' for="{_text(attrs_id)}"' if attrs_id else ""
    return f"<label{label_for}>{_input(option)} {_text(option['label'])}</label>\n"


def _select_option(option: dict) -> str:
    """`select_option.html`, final newline included."""
    return (
        f'<option value="{_stringformat(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>\n"
    )


def _option(renderer, option: dict, *, select: bool) -> str:
    """`{% include option.template_name with widget=option %}`."""
    name = option.get("template_name")
    known = name == _SELECT_OPTION if select else name in _OPTION_TEMPLATES
    if not (known and _builtin(renderer, name)):
        raise _Fallback
    if select:
        return _select_option(option)
    # radio_option.html and checkbox_option.html add their own final newline.
    return _input_option(option) + ("" if name == _INPUT_OPTION else "\n")


def _select(renderer, widget: dict) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            parts.append(f"\n  {_option(renderer, option, select=True)}")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>\n")
    return "".join(parts)


def _multiple_input(renderer, widget: dict) -> str:
    attrs = widget["attrs"]
    id_ = attrs.get("id")
    css = attrs.get("class")
    parts = [
        "<div",
        f' id="{_text(id_)}"' if id_ else "",
        f' class="{_text(css)}"' if css else "",
        ">",
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{_text(group)}</label>")
        for option in options:
            parts.append(f"<div>\n    {_option(renderer, option, select=False)}</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>\n")
    return "".join(parts)


def _textarea(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_text(value) if value else ''}</textarea>\n"
    )


def _build(template_name: str, context: dict, renderer) -> str:
    widget = context["widget"]
    if template_name in _INPUT_TEMPLATES:
        return _input(widget)
    if template_name == _SELECT:
        return _select(renderer, widget)
    if template_name == _SELECT_OPTION:
        return _select_option(widget)
    if template_name in _MULTIPLE_TEMPLATES:
        return _multiple_input(renderer, widget)
    if template_name in _OPTION_TEMPLATES:
        return _input_option(widget)
    if template_name == _TEXTAREA:
        return _textarea(widget)
    raise _Fallback


class PythonRenderMixin:
    """Replaces the template render of Django's built-in widget templates (see above)."""

    def _render(self, template_name, context, renderer=None):
        if renderer is None:
            renderer = get_default_renderer()
        if _builtin(renderer, template_name):
            try:
                markup = _build(template_name, context, renderer).strip()
                return mark_safe(markup)  # noqa: S308 - every value went through _text/_stringformat
            except (_Fallback, KeyError):
                pass
        return super()._render(template_name, context, renderer)


class TextInput(PythonRenderMixin, forms.TextInput):
    pass


class NumberInput(PythonRenderMixin, forms.NumberInput):
    pass


class EmailInput(PythonRenderMixin, forms.EmailInput):
    pass


class HiddenInput(PythonRenderMixin, forms.HiddenInput):
    pass


class DateInput(PythonRenderMixin, forms.DateInput):
    pass


class TimeInput(PythonRenderMixin, forms.TimeInput):
    pass


class CheckboxInput(PythonRenderMixin, forms.CheckboxInput):
    pass


class Textarea(PythonRenderMixin, forms.Textarea):
    pass


class Select(PythonRenderMixin, forms.Select):
    pass


class RadioSelect(PythonRenderMixin, forms.RadioSelect):
    pass


class CheckboxSelectMultiple(PythonRenderMixin, forms.CheckboxSelectMultiple):
    pass


__all__ = [
    "CheckboxInput",
    "CheckboxSelectMultiple",
    "DateInput",
    "EmailInput",
    "HiddenInput",
    "NumberInput",
    "PythonRenderMixin",
    "RadioSelect",
    "Select",
    "TextInput",
    "TimeInput",
    "Textarea",
]
