"""Contact details as people type them, normalised: the ONE place phones and e-mail
addresses are parsed (sign-up and appointment forms, the search of a person's sign-ups by
contact, the match of a sign-up with a record). Pure functions, no database: services and
selectors both import them.

Phones are parsed with `phonenumbers` (region France by default: « 06 12 34 56 78 »,
« 0612345678 », « +33 6 12 34 56 78 » and « 0033612345678 » are one number) and stored in
E.164 (« +33612345678 »). **A landline is refused** with a plain message: the phone is only
asked to send SMS (reminders, a freed place), which a fixed line cannot receive, and the
notices send an SMS whenever a phone is there (`mobile_only=False` for a search, where a
fixed line is a fine thing to look for). Mobile numbers of other countries are
accepted. E-mail addresses are stripped and lower-cased (the unique constraints compare
them as stored).
"""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

PHONE_INPUT_MAX = 30
SMS_CAPABLE = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)


def phone_normalize(raw: str, *, mobile_only: bool = True) -> str:
    """E.164 of a typed mobile number (any number with `mobile_only=False`), "" for
    nothing typed; ValidationError (French)."""
    typed = (raw or "").strip()
    if not typed:
        return ""
    if len(typed) > PHONE_INPUT_MAX:
        raise ValidationError(_("Ce numéro de téléphone est trop long."), code="phone")
    try:
        number = phonenumbers.parse(typed, "FR")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "Ce numéro de téléphone n'est pas complet ou contient une erreur. "
                "Écrivez-le comme sur votre téléphone, par exemple 06 12 34 56 78."
            ),
            code="phone",
        )
    if mobile_only and phonenumbers.number_type(number) not in SMS_CAPABLE:
        raise ValidationError(
            _(
                "Ce numéro est celui d'un téléphone fixe : il ne peut pas recevoir de SMS. "
                "Indiquez un numéro de portable, une adresse e-mail, ou laissez ces cases vides."
            ),
            code="landline",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_e164_or_empty(raw: str) -> str:
    """E.164 of a number written on a record (fixed lines too), "" when it does not parse:
    for comparing, never for refusing."""
    try:
        return phone_normalize(raw, mobile_only=False)
    except ValidationError:
        return ""


def email_normalize(raw: str) -> str:
    """The address stripped and lower-cased, "" for nothing typed; ValidationError (French)."""
    typed = (raw or "").strip().lower()
    if not typed:
        return ""
    try:
        validate_email(typed)
    except ValidationError:
        raise ValidationError(
            _("Cette adresse e-mail n'est pas complète. Elle s'écrit comme nom@exemple.fr."),
            code="email",
        ) from None
    return typed


def phone_display(e164: str) -> str:
    """« 06 12 34 56 78 » for a French number, the international format otherwise."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, None)
    if number.country_code == 33:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
