"""Middleware of the logins: the second factor on /admin/, and the CSP per part of the site."""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from accounts import twofactor

ADMIN_PREFIX = "/admin/"
# Reachable before the second factor: signing in and out, the 2FA pages themselves, the
# password reset and what the login page loads (translations, icons).
OPEN_ADMIN_PATHS = (
    "/admin/login/",
    "/admin/logout/",
    "/admin/password_reset/",
    "/admin/jsi18n/",
    "/admin/sprite/",
    "/admin/deux-facteurs/verification/",
)
ENROLMENT_PATH = "/admin/deux-facteurs/activation/"


class AdminTwoFactorMiddleware:
    """On /admin/, after django-otp's OTPMiddleware:

    - a user with an authenticator who has not entered a code in this session is sent to
      the verification page (whatever their role);
    - a coordinator without one is sent to the enrolment page
      (`ADMIN_2FA_REQUIRED_FOR_COORDINATORS`);
    - everyone else uses the admin as before, and may enrol from their account.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        user = getattr(request, "user", None)
        if (
            path.startswith(ADMIN_PREFIX)
            and not path.startswith(OPEN_ADMIN_PATHS)
            and user is not None
            and user.is_authenticated
        ):
            if twofactor.session_has_device(request, user):
                if not user.is_verified():
                    return redirect_to_login(
                        request.get_full_path(), reverse("accounts_2fa_verify")
                    )
            elif not path.startswith(ENROLMENT_PATH) and twofactor.two_factor_required(user):
                return redirect_to_login(request.get_full_path(), reverse("accounts_2fa_enrol"))
        return self.get_response(request)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy on /admin/ (CSP_ADMIN_OVERRIDES),
    and inline styles allowed on server error pages, which must not depend on anything
    else working (their scripts stay blocked)."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        overrides = {}
        if request.path_info.startswith(ADMIN_PREFIX):
            overrides.update(getattr(settings, "CSP_ADMIN_OVERRIDES", {}))
        elif response.status_code >= 500:
            overrides["style-src"] = ["'self'", "'unsafe-inline'"]
        if overrides:
            parts.replace = {**overrides, **(parts.replace or {})}
        return parts
