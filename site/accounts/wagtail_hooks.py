from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.staticfiles import versioned_static

from accounts import views


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path(
            "deux-facteurs/verification/",
            views.two_factor_verify,
            name="accounts_2fa_verify",
        ),
        path("deux-facteurs/activation/", views.two_factor_enrol, name="accounts_2fa_enrol"),
        path("deux-facteurs/", views.two_factor_security, name="accounts_2fa_security"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("accounts_2fa_security"),
        "label": _("Sécurité du compte"),
        "help_text": _("Validation en deux étapes et codes de secours."),
    }


@hooks.register("insert_global_admin_js")
def admin_init_without_inline_scripts():
    """Starts what Wagtail's inline scripts would (see static/accounts/admin-init.js)."""
    return format_html('<script src="{}"></script>', versioned_static("accounts/admin-init.js"))
