"""`{% load i18n %}` is Django's library with a constant `{% translate %}` remembered
(common/template_i18n.py): every form of the tag renders what Django's renders."""

from django.template import Context, Engine, engines
from django.utils import translation

from common import template_i18n

TEMPLATE = (
    "{% load i18n %}"
    "{% translate 'Fiche pratique' %}|{% translate \"Ce qu'il vous faut\" %}|"
    "{% translate 'Rechercher' noop %}|{% translate 'Étapes :' as label %}[{{ label }}]|"
    "{% translate '100%% gratuit' %}|{% translate text %}|{% translate 'Ateliers'|upper %}|"
    "{% translate 'mai' context 'month name' %}|{% trans 'Accueil' %}"
)


def render_both(context: dict, *, autoescape: bool = True) -> tuple[str, str]:
    ours = engines["django"].engine
    assert ours.template_libraries["i18n"] is template_i18n.register
    django = Engine(
        libraries={"i18n": "django.templatetags.i18n"}, autoescape=autoescape, debug=False
    )
    mine = Engine(libraries={"i18n": "common.template_i18n"}, autoescape=autoescape, debug=False)
    return (
        mine.from_string(TEMPLATE).render(Context(context, autoescape=autoescape)),
        django.from_string(TEMPLATE).render(Context(context, autoescape=autoescape)),
    )


def test_every_form_renders_as_djangos_twice_and_per_language_and_escaping():
    template_i18n.forget()
    for language in ("fr", "en", "fr"):
        with translation.override(language):
            for autoescape in (True, False, True):
                for _ in range(2):  # computed, then remembered
                    mine, djangos = render_both({"text": "Fiche <b>"}, autoescape=autoescape)
                    assert mine == djangos
    # A translated variable is escaped; a constant text (a safe literal) is not, as in Django.
    assert "Ce qu'il vous faut|" in render_both({"text": "<b>"})[0]
    assert "|&lt;b&gt;|" in render_both({"text": "<b>"})[0]


def test_only_constant_texts_are_remembered():
    template_i18n.forget()
    Engine(libraries={"i18n": "common.template_i18n"}).from_string(TEMPLATE).render(
        Context({"text": "Une variable"})
    )
    remembered = {key[-1] for key in template_i18n._remembered}
    assert remembered == {
        "Fiche pratique",
        "Ce qu'il vous faut",
        "Rechercher",
        "Étapes :",
        "100%% gratuit",
        "Accueil",
    }


def test_i18n_is_the_only_tag_library_shadowed():
    """Django's check of shadowed tag libraries is silenced for `i18n` (settings): any
    other shadowing still fails here."""
    warnings = [w for w in engines["django"].check() if w.id == "templates.W003"]
    assert len(warnings) == 1
    assert "'i18n' is used for multiple template tag modules" in warnings[0].msg
