"""Counsellor accounts managed by the coordination: a user, a counsellor profile and the
"Conseillers" group in one step (`counsellor_create` does the profile and the groups)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from common.types import AnyUser
from learners.models import Commune, Counsellor, Structure
from learners.roles import is_coordinator

from ._common import refuse
from .organisations import counsellor_create as profile_create
from .organisations import counsellor_update

ACCOUNT_FIELDS = frozenset({"first_name", "last_name", "email", "is_active"})


def counsellor_account_create(
    *,
    created_by: AnyUser,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    password: str = "",
    structure: Structure,
    communes: Iterable[Commune] = (),
    is_structure_manager: bool = False,
) -> Counsellor:
    """Create the user and their counsellor profile (coordinators only). Without a
    `password` the account has none yet: the counsellor chooses one through "Mot de passe
    oublié" (their e-mail is then required)."""
    if not is_coordinator(created_by):
        refuse(_("Seule la coordination peut ajouter un conseiller."))
    user_model = get_user_model()
    user = user_model(
        username=username.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
    )
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
    else:
        if not user.email:
            raise ValidationError(
                {
                    "email": _(
                        "Sans mot de passe initial, un courriel est nécessaire pour que la "
                        "personne choisisse le sien."
                    )
                }
            )
        user.set_unusable_password()
    user.full_clean()
    with transaction.atomic():
        user.save()
        counsellor = profile_create(
            user=user,
            structure=structure,
            communes=communes,
            is_structure_manager=is_structure_manager,
            created_by=created_by,
        )
    return counsellor


def counsellor_account_update(*, user: AnyUser, counsellor: Counsellor, data: dict) -> Counsellor:
    """Change the account (first_name, last_name, email, is_active) and the profile
    (structure, is_structure_manager, communes) of a counsellor (coordinators only)."""
    if not is_coordinator(user):
        refuse(_("Seule la coordination peut modifier un conseiller."))
    data = dict(data)
    account = {name: data.pop(name) for name in ACCOUNT_FIELDS if name in data}
    with transaction.atomic():
        if account:
            account_user = counsellor.user
            for name, value in account.items():
                setattr(account_user, name, value.strip() if isinstance(value, str) else value)
            others = [f.name for f in account_user._meta.fields if f.name not in account]
            account_user.full_clean(exclude=others, validate_unique=False)
            account_user.save(update_fields=sorted(account))
        if data:
            counsellor_update(user=user, counsellor=counsellor, data=data)
    return counsellor
