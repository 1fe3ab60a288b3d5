"""Wagtail 8's chooser widgets (page, image, document, snippet) start with an inline
`<script>new XChooser(id, options)</script>` written in Python (BaseChooser.render), which the
admin's Content-Security-Policy refuses. Patched at start-up (through
common/wagtail_internals.py, whose tests catch a Wagtail upgrade changing it) to write the
same call as data attributes on a hidden element, which static/accounts/admin-init.js
runs. A widget with its own `render_js_init` (the workflow chooser) keeps Wagtail's
rendering.

The date pickers and inline panels are the other inline scripts: their templates are
overridden in templates/wagtailadmin/ (listed, with the digest of Wagtail's original, in
common/wagtail_internals.py). Remove all this once Wagtail drops inline scripts.
"""

from __future__ import annotations

import json

from django.utils.html import format_html

from common import wagtail_internals


def _without_inline_script(wagtails_render):
    def render(self, name, value, attrs=None, renderer=None):
        if wagtail_internals.chooser_has_own_js_init(self):
            return wagtails_render(self, name, value, attrs, renderer)
        return _render(self, name, value, attrs)

    return render


def _render(self, name, value, attrs):
    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as e:
        raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from e
    value_data = self.get_value_data(value)
    widget_html = self.render_html(name, value_data, attrs)
    options = self.get_js_init_options(id_, name, value_data)
    return format_html(
        '{}<span hidden data-pap-init="chooser" data-pap-constructor="{}" '
        'data-pap-target="{}" data-pap-options="{}"></span>',
        widget_html,
        self.js_constructor,
        id_,
        json.dumps(options),
    )


def patch() -> None:
    wagtail_internals.chooser_render_replace(_without_inline_script)
