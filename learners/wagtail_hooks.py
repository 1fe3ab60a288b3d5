"""Registration only: views live in `learners.admin_views`, one block per feature."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

# --- Sessions, attendance sheets, dashboard (a counsellor's week) ----------------------------


@hooks.register("register_admin_urls")
def register_sessions_urls():
    from learners.admin_views import (
        bookings,
        dashboard,
        lookups,
        series,
        session_changes,
        sessions,
        signin_sheets,
    )

    return [
        *sessions.urlpatterns,
        *session_changes.urlpatterns,
        *series.urlpatterns,
        *signin_sheets.urlpatterns,
        *bookings.urlpatterns,
        *dashboard.urlpatterns,
        *lookups.urlpatterns,
    ]


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    from learners.admin_views.sessions import TrackingMenuItem

    return TrackingMenuItem(
        _("Mon tableau de bord"),
        reverse("learners_dashboard"),
        name="learners-dashboard",
        icon_name="view",
        order=90,
    )


@hooks.register("register_admin_menu_item")
def register_sessions_menu_item():
    from learners.admin_views.sessions import TrackingMenuItem

    return TrackingMenuItem(
        _("Mes séances"),
        reverse("learners_sessions"),
        name="learners-sessions",
        icon_name="date",
        order=95,
    )


@hooks.register("construct_homepage_panels")
def add_dashboard_home_panel(request, panels):
    from learners.admin_views.dashboard import add_home_panel

    add_home_panel(request, panels)


@hooks.register("register_page_header_buttons")
def atelier_session_header_button(page, user, view_name, next_url=None):
    from learners.admin_views.sessions import atelier_session_buttons

    yield from atelier_session_buttons(page, user)


# --- People, person's page, carnet cards -----------------------------------------------------


@hooks.register("register_admin_urls")
def register_people_urls():
    from learners.admin_views import (
        attestations,
        audit,
        carnet_cards,
        link_requests,
        merge,
        people,
    )

    return [
        *people.urlpatterns,
        *attestations.urlpatterns,
        *carnet_cards.urlpatterns,
        *merge.urlpatterns,
        *link_requests.urlpatterns,
        *audit.urlpatterns,
    ]


@hooks.register("register_admin_menu_item")
def register_people_menu_item():
    from learners.admin_views.people import PeopleMenuItem

    return PeopleMenuItem(
        _("Personnes"),
        reverse("learners_people"),
        name="learners-people",
        icon_name="group",
        order=100,
    )


@hooks.register("register_admin_menu_item")
def register_attestation_keys_menu_item():
    from learners.admin_views.merge import CoordinatorMenuItem

    return CoordinatorMenuItem(
        _("Clés des attestations"),
        reverse("learners_attestation_keys"),
        name="learners-attestation-keys",
        icon_name="key",
        order=345,
    )


@hooks.register("register_admin_menu_item")
def register_merge_menu_item():
    from learners.admin_views.merge import CoordinatorMenuItem

    return CoordinatorMenuItem(
        _("Fusion de doublons"),
        reverse("learners_merge"),
        name="learners-merge",
        icon_name="resubmit",
        order=330,
    )


@hooks.register("register_admin_menu_item")
def register_link_requests_menu_item():
    from learners.admin_views.merge import CoordinatorMenuItem

    return CoordinatorMenuItem(
        _("Demandes de rattachement"),
        reverse("learners_link_requests"),
        name="learners-link-requests",
        icon_name="link",
        order=335,
    )


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    from learners.admin_views.merge import CoordinatorMenuItem

    return CoordinatorMenuItem(
        _("Journal d'accès"),
        reverse("learners_audit"),
        name="learners-audit",
        icon_name="history",
        order=340,
    )


# --- Organisation: structures, venues, counsellors -------------------------------------------


@hooks.register("register_admin_viewset")
def register_organisation_viewsets():
    from learners.admin_views.organisations import OrganisationViewSetGroup

    return OrganisationViewSetGroup()


# --- Statistics dashboard --------------------------------------------------------------------


@hooks.register("register_admin_urls")
def register_statistics_urls():
    from learners.admin_views import statistics

    return statistics.urlpatterns


@hooks.register("register_admin_menu_item")
def register_statistics_menu_item():
    from learners.admin_views.statistics import StatisticsMenuItem

    return StatisticsMenuItem(
        _("Statistiques"),
        reverse("learners_statistics"),
        name="learners-statistics",
        icon_name="table",
        order=110,
    )


# --- Spreadsheet imports and exports ---------------------------------------------------------


@hooks.register("register_admin_urls")
def register_import_export_urls():
    from learners.admin_views import exports, imports

    return [*exports.urlpatterns, *imports.urlpatterns]


@hooks.register("register_admin_menu_item")
def register_import_export_menu_item():
    from learners.admin_views.sessions import TrackingMenuItem

    return TrackingMenuItem(
        _("Imports et exports"),
        reverse("learners_imports"),
        name="learners-imports",
        icon_name="upload",
        order=120,
    )


# --- Rights of the people tracked, processing register, background jobs ----------------------


@hooks.register("register_admin_urls")
def register_privacy_and_jobs_urls():
    from learners.admin_views import contact_privacy, jobs, messages, privacy

    return [
        *privacy.urlpatterns,
        *contact_privacy.urlpatterns,
        *jobs.urlpatterns,
        *messages.urlpatterns,
    ]


@hooks.register("register_admin_menu_item")
def register_messages_menu_item():
    from learners.admin_views.sessions import TrackingMenuItem

    return TrackingMenuItem(
        _("Messages envoyés"),
        reverse("learners_messages"),
        name="learners-messages",
        icon_name="mail",
        order=125,
    )


@hooks.register("register_admin_menu_item")
def register_processing_register_menu_item():
    from learners.admin_views.sessions import TrackingMenuItem

    return TrackingMenuItem(
        _("Registre des traitements"),
        reverse("learners_processing_register"),
        name="learners-processing-register",
        icon_name="doc-full",
        order=350,
    )


@hooks.register("register_admin_menu_item")
def register_jobs_menu_item():
    from learners.admin_views.merge import CoordinatorMenuItem

    return CoordinatorMenuItem(
        _("Tâches de fond"),
        reverse("learners_jobs"),
        name="learners-jobs",
        icon_name="cogs",
        order=360,
    )


@hooks.register("construct_homepage_panels")
def add_job_failures_home_panel(request, panels):
    from learners.admin_views.jobs import add_home_panel

    add_home_panel(request, panels)
