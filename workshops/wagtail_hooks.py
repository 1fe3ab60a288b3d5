"""Registration only: the viewsets and buttons live in `workshops.viewsets`."""

from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.staticfiles import versioned_static

from workshops import viewsets


@hooks.register("register_admin_viewset")
def register_reference_data():
    return viewsets.ReferenceDataViewSetGroup()


@hooks.register("register_admin_viewset")
def register_themes():
    return viewsets.ThemeViewSet()


@hooks.register("register_admin_viewset")
def register_audiences():
    return viewsets.AudienceViewSet()


@hooks.register("register_admin_viewset")
def register_guide_feedback_report():
    return viewsets.GuideFeedbackReportViewSet()


@hooks.register("register_admin_viewset")
def register_guide_pages():
    return viewsets.GuidePageViewSet("guide_pages")


@hooks.register("register_admin_viewset")
def register_atelier_pages():
    return viewsets.AtelierPageViewSet("atelier_pages")


@hooks.register("insert_editor_js")
def rich_text_labels():
    """Gives each rich-text box the name of its field (see static/workshops/editor-labels.js)."""
    return format_html('<script src="{}"></script>', versioned_static("workshops/editor-labels.js"))


hooks.register("register_page_header_buttons", viewsets.guide_feedback_header_buttons)
