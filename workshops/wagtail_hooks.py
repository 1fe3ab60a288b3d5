"""Registration only: the viewsets and buttons live in `workshops.viewsets`."""

from wagtail import hooks

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


hooks.register("register_page_header_buttons", viewsets.guide_feedback_header_buttons)
