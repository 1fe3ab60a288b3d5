"""Forms of the login and two-factor pages."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """Wagtail's login form with French labels.

    Wagtail redeclares `password` (and `username`) without a label, so Django derives the
    label from the field name with `pretty_name()`, which never goes through gettext: the
    page said « Password » whatever the language. Labels and placeholders are set here.
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Identifiant")
        self.fields["username"].widget.attrs["placeholder"] = _("Votre identifiant")
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].label = _("Mot de passe")
        self.fields["password"].widget.attrs["placeholder"] = _("Votre mot de passe")
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.error_messages = {
            **self.error_messages,
            "invalid_login": _(
                "Identifiant ou mot de passe incorrect. Vérifiez les majuscules et réessayez."
            ),
        }


class TokenForm(forms.Form):
    """One code: the 6 digits of the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code de vérification"),
        help_text=_("Les 6 chiffres affichés par votre application, ou un code de secours."),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).lower()


class EnrolTokenForm(TokenForm):
    """The first code, which confirms the app: recovery codes do not exist yet."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("Les 6 chiffres affichés par votre application.")
