from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Logins of the staff: French login form, real logout, two-factor sign-in
    (django-otp), and the site's security headers (CSP). Failed logins are throttled by
    django-axes, configured in settings."""

    name = "accounts"
    verbose_name = _("Connexions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts import admin_csp

        admin_csp.patch()
        from django.contrib.auth.signals import user_logged_in

        from accounts.twofactor import session_remember_device

        def remember(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session"):
                session_remember_device(request, user)

        user_logged_in.connect(remember, weak=False, dispatch_uid="accounts-2fa-login")
