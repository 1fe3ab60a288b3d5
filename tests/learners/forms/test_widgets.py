"""learners.forms.widgets: the same HTML as Django's template-rendered widgets, byte for
byte, without going through the template engine (and back to it when in doubt)."""

import datetime
import re
from pathlib import Path
from unittest import mock

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from learners.forms import widgets

NASTY = "<\"&'> é"

PAIRS = [
    (widgets.TextInput, forms.TextInput),
    (widgets.NumberInput, forms.NumberInput),
    (widgets.EmailInput, forms.EmailInput),
    (widgets.HiddenInput, forms.HiddenInput),
    (widgets.DateInput, forms.DateInput),
    (widgets.TimeInput, forms.TimeInput),
    (widgets.CheckboxInput, forms.CheckboxInput),
    (widgets.Textarea, forms.Textarea),
    (widgets.Select, forms.Select),
    (widgets.RadioSelect, forms.RadioSelect),
    (widgets.CheckboxSelectMultiple, forms.CheckboxSelectMultiple),
]
CHOICE_WIDGETS = {widgets.Select, widgets.RadioSelect, widgets.CheckboxSelectMultiple}

VALUES = [
    None,
    "",
    "plain",
    NASTY,
    mark_safe("<b>déjà&amp;sûr</b>"),
    0,
    1234567,
    12.5,
    True,
    False,
    datetime.date(2026, 11, 26),
    datetime.time(14, 5),
    gettext_lazy("Présent"),
    "a\nb  ",
    ("x", "<y>"),
]

ATTRS = [
    None,
    {},
    {"id": "id_f"},
    {"id": NASTY, "class": "pap-seg__input"},
    {
        "id": "id_f",
        "class": 'a "b"',
        "required": True,
        "disabled": False,
        "autofocus": True,
        "placeholder": gettext_lazy("CAF, France Travail…"),
        "data-n": 3,
        "aria-x": mark_safe("&amp;"),
        "title": NASTY,
        "data-none": None,
        "data-zero": 0,
    },
]

CHOICES = [
    [],
    [("", "— Non observé —"), ("a", "A"), ("b", NASTY)],
    [(1, "1 – Découverte"), (2, 2000), (3, gettext_lazy("Autonome"))],
    [
        ("", "— Choisir —"),
        ("Lieux d'activité", [("lieu-1", "Médiathèque"), ("lieu-2", NASTY)]),
        (NASTY, [(7, "sept")]),
        ("domicile", "Au domicile"),
        ("vide", []),
    ],
    [(NASTY, mark_safe("<i>sûr</i>")), (None, "rien"), (True, "oui")],
]

CHOICE_VALUES = [None, "", "a", "b", 1, "2", ["a", 1], ["lieu-2", 7], NASTY, [NASTY, True]]


def django_render(widget, template_name, context, renderer=None):
    """The widget through Django's own template render (what the fast path replaces)."""
    return forms.Widget._render(widget, template_name, context, renderer)


def assert_same(widget, name, value, attrs=None):
    context = widget.get_context(name, value, attrs)
    expected = django_render(widget, widget.template_name, context)
    actual = widget._render(widget.template_name, context)
    assert str(actual) == str(expected)
    assert hasattr(actual, "__html__")
    # and through the public API
    assert widget.render(name, value, attrs) == expected


@pytest.mark.parametrize("fast, builtin", [p for p in PAIRS if p[0] not in CHOICE_WIDGETS])
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_inputs_match_django(fast, builtin, value, attrs):
    for init in ({}, {"attrs": {"class": "pap-x", "maxlength": 200}}):
        widget = fast(**init)
        assert isinstance(widget, builtin)
        assert_same(widget, "p12-referred_to", value, attrs)
        assert_same(widget, NASTY, value, attrs)


@pytest.mark.parametrize("fast", sorted(CHOICE_WIDGETS, key=lambda c: c.__name__))
@pytest.mark.parametrize("attrs", ATTRS)
@pytest.mark.parametrize("choices", CHOICES, ids=range(len(CHOICES)))
@pytest.mark.parametrize("value", CHOICE_VALUES, ids=repr)
def test_choice_widgets_match_django(fast, choices, value, attrs):
    widget = fast(choices=choices)
    assert_same(widget, "p12-c3", value, attrs)
    # Each option on its own, as `{% for radio in field %}{{ radio.tag }}` and `{{ radio }}`.
    for option in widget.subwidgets("p12-c3", value, attrs):
        bound = forms.boundfield.BoundWidget(widget, option, get_default_renderer())
        for wrap_label in (False, True):
            context = {"widget": {**option, "wrap_label": wrap_label}}
            expected = django_render(widget, bound.template_name, context)
            assert bound.tag(wrap_label=wrap_label) == expected
        assert str(bound) == django_render(
            widget, bound.template_name, {"widget": {**option, "wrap_label": True}}
        )


class SampleForm(forms.Form):
    status = forms.ChoiceField(
        label="Présence",
        choices=[("present", "Présent"), ("absent", "Absent"), ("excuse", "Excusé")],
        required=False,
        widget=widgets.RadioSelect(attrs={"class": "pap-seg__input"}),
    )
    level = forms.TypedChoiceField(
        choices=[("", "— Non observé —"), (4, "1 – Découverte"), (5, NASTY)],
        coerce=int,
        empty_value=None,
        required=False,
        widget=widgets.Select,
    )
    place = forms.ChoiceField(
        choices=[("", "—"), ("Lieux", [("lieu-1", "Médiathèque")]), ("distance", "À distance")],
        help_text="Aide",
        widget=widgets.Select,
    )
    referred_to = forms.CharField(
        max_length=200,
        required=False,
        widget=widgets.TextInput(attrs={"placeholder": "CAF, France Travail…"}),
    )
    date = forms.DateField(
        widget=widgets.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), help_text="jj/mm"
    )
    capacity = forms.IntegerField(
        min_value=1, max_value=999, required=False, widget=widgets.NumberInput
    )
    themes = forms.TypedMultipleChoiceField(
        choices=[("Thématiques", [(1, "Santé"), (2, NASTY)]), ("Autres", [(3, "Emploi")])],
        coerce=int,
        widget=widgets.CheckboxSelectMultiple,
    )
    notes = forms.CharField(required=False, widget=widgets.Textarea)


def all_fields_html(form) -> str:
    parts = []
    for bound in form:
        parts.append(str(bound))
        for sub in bound.subwidgets:
            parts.append(sub.tag())
            parts.append(str(sub))
    return "\n".join(parts)


@pytest.mark.parametrize(
    "data, initial, auto_id",
    [
        (None, {}, "id_%s"),
        (None, {"status": "absent", "level": 5, "date": datetime.date(2026, 1, 2)}, "id_%s"),
        (None, {"referred_to": NASTY, "notes": NASTY, "themes": [2, 3]}, False),
        (
            {"status": "teleporte", "level": "999", "date": "x", "themes": ["2"], "notes": "<"},
            {},
            "id_%s",
        ),
        ({"status": "present", "level": "4", "referred_to": NASTY, "place": "lieu-1"}, {}, "f-%s"),
    ],
)
def test_bound_fields_match_django(data, initial, auto_id):
    """Whole bound fields (ids, required, aria-describedby, aria-invalid after errors) and
    each radio/checkbox, as the sheet and the session form render them."""
    form = SampleForm(data, initial=initial, auto_id=auto_id, prefix="p12")
    form.is_bound and form.is_valid()
    fast = all_fields_html(form)
    with mock.patch.object(widgets.PythonRenderMixin, "_render", django_render):
        expected = all_fields_html(form)
    assert fast == expected
    assert "aria-invalid" in fast or not form.errors


def test_fast_path_does_not_use_the_template_engine():
    renderer = get_default_renderer()
    widget = widgets.Select(choices=[("a", "A"), ("Groupe", [("b", "B")])])
    expected = django_render(widget, widget.template_name, widget.get_context("x", "b", None))
    with mock.patch.object(type(renderer), "render", side_effect=AssertionError("template")):
        assert widget.render("x", "b") == expected
        assert widgets.RadioSelect(choices=[("a", "A")]).render("x", "a")
        assert widgets.TextInput().render("x", "a")


def overriding_renderer(folder):
    """A renderer that finds a project's own select option template first (as a project's
    `templates/django/forms/widgets/` does with the TemplatesSetting renderer)."""
    own = folder / "django" / "forms" / "widgets"
    own.mkdir(parents=True)
    (own / "select_option.html").write_text(
        '<option data-own value="{{ widget.value }}">{{ widget.label }}</option>'
    )

    class Renderer(DjangoTemplates):
        @cached_property
        def engine(self):
            return self.backend(
                {
                    "APP_DIRS": True,
                    "DIRS": [folder, Path(forms.__file__).parent / "templates"],
                    "NAME": "overriding",
                    "OPTIONS": {},
                }
            )

    return Renderer()


def test_overridden_templates_and_other_renderers_fall_back_to_django(tmp_path):
    widget = widgets.Select(choices=[("a", "A"), ("b", "B")])
    renderer = overriding_renderer(tmp_path)
    html = widget.render("x", "a", renderer=renderer)
    assert html.count("data-own") == 2
    # The input widgets, whose templates are not overridden, still take the fast path.
    with mock.patch.object(type(renderer), "render", side_effect=AssertionError("template")):
        assert widgets.TextInput().render("x", "a", renderer=renderer)
    # Unknown templates are left to Django.
    custom = widgets.Select(choices=[("a", "A")])
    custom.option_template_name = "django/forms/widgets/radio_option.html"
    expected = django_render(custom, custom.template_name, custom.get_context("x", "a", None))
    assert custom.render("x", "a") == expected
    assert re.search(r'<label><input type="select" name="x" value="a" selected>', expected)


def test_callable_values_are_left_to_django():
    widget = widgets.TextInput(attrs={"data-x": lambda: "called"})
    assert 'data-x="called"' in widget.render("x", "a")


def without_csrf(html: str) -> str:
    """The page without its CSRF tokens (masked differently on every request)."""
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "", html)


@pytest.mark.django_db
def test_sheet_and_session_form_pages_are_unchanged(client, counsellor_a, structure_a, socle):
    """The pages that use these widgets, rendered with them and with Django's templates."""
    from django.urls import reverse

    from learners.choices import AttendanceStatus
    from learners.roles import roles_cache_clear
    from tests.factories.learners import AttendanceFactory, SessionFactory

    session = SessionFactory(structure=structure_a, competences=socle[:3], capacity=20)
    AttendanceFactory.create_batch(3, session=session)
    AttendanceFactory(session=session, status=AttendanceStatus.PRESENT, referred_to=NASTY)
    AttendanceFactory(session=session, status=AttendanceStatus.WAITING)
    roles_cache_clear(counsellor_a)
    client.force_login(counsellor_a)
    urls = [
        reverse("learners_attendance_sheet", args=[session.pk]),
        reverse("learners_session_edit", args=[session.pk]),
        reverse("learners_session_create"),
    ]
    for url in urls:
        fast = client.get(url)
        assert fast.status_code == 200
        with mock.patch.object(widgets.PythonRenderMixin, "_render", django_render):
            slow = client.get(url)
        assert without_csrf(fast.content.decode()) == without_csrf(slow.content.decode())
        if url == urls[0]:
            assert fast.content.decode().count('class="pap-seg__input"') == 5 * 3
