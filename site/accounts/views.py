"""Logout confirmation and two-factor pages (thin: the work is in accounts.twofactor)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.admin.views.account import LogoutView

from accounts import twofactor
from accounts.forms import EnrolTokenForm, TokenForm


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def lockout(request, original_response=None, credentials=None):
    """django-axes' answer once a login is locked out (AXES_LOCKOUT_CALLABLE): 429 and a
    French page saying how long to wait."""
    from axes.helpers import get_cool_off, get_failure_limit

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    response = TemplateResponse(
        request,
        "accounts/lockout.html",
        {"failure_limit": get_failure_limit(request, credentials), "cooloff_minutes": minutes},
        status=429,
    )
    return response.render()


@never_cache
@require_http_methods(["GET", "POST"])
def logout(request):
    """/admin/logout/. Wagtail's view (on Django's LogoutView) answers a GET with 405 but
    still flashes « vous avez été déconnecté » and drops the cookie while the session stays
    valid on the server. Here a GET only asks for confirmation; a POST really logs out."""
    if request.method == "POST":
        return LogoutView.as_view()(request)
    if not request.user.is_authenticated:
        return redirect("wagtailadmin_login")
    return TemplateResponse(request, "accounts/logout_confirm.html", {})


@never_cache
def two_factor_verify(request):
    """After the password: the code of the authenticator app or a recovery code."""
    user = request.user
    if not twofactor.two_factor_enabled(user):
        return redirect(_next_url(request))
    if user.is_verified():
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    wait = 0
    if request.method == "POST" and form.is_valid():
        wait = twofactor.two_factor_locked_seconds(user=user)
        if wait:
            form.add_error(
                "code",
                _("Trop de codes erronés. Patientez %(seconds)s secondes puis réessayez.")
                % {"seconds": wait},
            )
        else:
            device = twofactor.two_factor_verify(user=user, code=form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                if device.persistent_id.startswith("otp_static"):
                    left = twofactor.recovery_codes_left(user=user)
                    messages.warning(
                        request,
                        _(
                            "Vous avez utilisé un code de secours : il en reste %(left)s. "
                            "Générez-en de nouveaux depuis « Sécurité du compte »."
                        )
                        % {"left": left},
                    )
                return HttpResponseRedirect(_next_url(request))
            form.add_error("code", _("Ce code n'est pas valide. Vérifiez-le et réessayez."))
    return TemplateResponse(
        request,
        "accounts/two_factor/verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@never_cache
def two_factor_enrol(request):
    """Set up an authenticator app: QR code drawn locally, then a first code confirms it
    and the recovery codes are shown, once."""
    user = request.user
    if twofactor.two_factor_enabled(user) and not user.is_verified():
        return redirect_to_login(request.get_full_path(), reverse("accounts_2fa_verify"))
    device = twofactor.totp_device_pending(user=user)
    form = EnrolTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not device.verify_is_allowed()[0]:
        form.add_error("code", _("Trop de codes erronés. Patientez un instant puis réessayez."))
    elif request.method == "POST" and form.is_valid():
        codes = twofactor.totp_device_confirm(
            user=user, device=device, code=form.cleaned_data["code"]
        )
        if codes is not None:
            device = TOTPDevice.objects.get(pk=device.pk)
            twofactor.session_remember_device(request, user)
            otp_login(request, device)
            return TemplateResponse(
                request,
                "accounts/two_factor/recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "first_time": True},
            )
        form.add_error(
            "code",
            _(
                "Ce code ne correspond pas. Vérifiez que l'heure de votre téléphone est "
                "juste, puis saisissez le code affiché maintenant."
            ),
        )
    return TemplateResponse(
        request,
        "accounts/two_factor/enrol.html",
        {
            "form": form,
            "qr_svg": twofactor.totp_qr_svg(device=device),
            "secret": twofactor.totp_secret_display(device=device),
            "required": twofactor.two_factor_required(user),
            "next": _next_url(request),
        },
        status=400 if form.errors else 200,
    )


@never_cache
def two_factor_security(request):
    """The user's « Sécurité du compte » page: state, new recovery codes, removal."""
    user = request.user
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "codes" and twofactor.two_factor_enabled(user):
            codes = twofactor.recovery_codes_generate(user=user)
            return TemplateResponse(
                request,
                "accounts/two_factor/recovery_codes.html",
                {"codes": codes, "next": reverse("accounts_2fa_security"), "first_time": False},
            )
        if action == "disable" and twofactor.two_factor_enabled(user):
            twofactor.two_factor_disable(user=user)
            twofactor.session_remember_device(request, user)
            messages.success(request, _("La validation en deux étapes est désactivée."))
        return redirect("accounts_2fa_security")
    return TemplateResponse(
        request,
        "accounts/two_factor/security.html",
        {
            "enabled": twofactor.two_factor_enabled(user),
            "required": twofactor.two_factor_required(user),
            "codes_left": twofactor.recovery_codes_left(user=user),
        },
    )
