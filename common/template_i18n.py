"""Django's `i18n` template library (`{% load i18n %}`, through the `libraries` option of
TEMPLATES in config/settings/base.py), with one change: a `{% translate "…" %}` of a
constant text remembers its result per process, language and escaping.

Django evaluates each such tag on every render: a lazy string, then the lookup through
every catalog, then escaping, about 13 µs. A guide page holds about 70 of them, so it
was about 1 ms of every render of the page, warm or cold. What is remembered is exactly what
Django's node returns; a tag with a variable, a filter or a message context is left to
Django. Forgotten when the language settings change (tests) or a catalog is reloaded
(the development server's autoreload).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.base import Variable, render_value_in_context
from django.templatetags import i18n as django_i18n
from django.utils.autoreload import file_changed
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)

_remembered: dict[tuple[Any, ...], str] = {}


class ConstantTranslateNode(django_i18n.TranslateNode):
    """`{% translate "text" [noop] [as name] %}`: Django's result, remembered."""

    def render(self, context: template.Context) -> str:
        var = self.filter_expression.var
        key = (get_language(), context.autoescape, self.noop, var.literal)
        value = _remembered.get(key)
        if value is None:
            # Django's TranslateNode.render, without its `as` part (below).
            var.translate = not self.noop
            value = render_value_in_context(self.filter_expression.resolve(context), context)
            is_safe = isinstance(value, SafeData)
            value = value.replace("%%", "%")
            # Safe only if Django's value was (an escaped translation): kept as it was.
            value = _remembered[key] = mark_safe(value) if is_safe else value  # noqa: S308
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


def _constant(node: django_i18n.TranslateNode) -> bool:
    expression = node.filter_expression
    var = expression.var
    return (
        node.message_context is None
        and not expression.filters
        and isinstance(var, Variable)
        and var.lookups is None
        and isinstance(var.literal, str)
    )


@register.tag("translate")
@register.tag("trans")
def do_translate(parser: Any, token: Any) -> template.Node:
    node = django_i18n.do_translate(parser, token)
    if _constant(node):
        node.__class__ = ConstantTranslateNode
    return node


def forget(**kwargs: Any) -> None:
    _remembered.clear()


def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"LANGUAGE_CODE", "LANGUAGES", "LOCALE_PATHS", "INSTALLED_APPS", "USE_I18N"}:
        forget()


def _file_changed(*, file_path: Any, **kwargs: Any) -> None:
    if str(file_path).endswith(".mo"):
        forget()


setting_changed.connect(_settings_changed, weak=False)
file_changed.connect(_file_changed, weak=False)
