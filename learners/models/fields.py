"""Model fields for the standard's multi-valued columns, on SQLite and PostgreSQL alike.

A `VocabularyListField` is a JSON list of the schema's values (e.g. ["Gratuit", "Payant"]):
no ArrayField, so it works on both databases; it refuses any value outside its vocabulary
(model validation, so the admin, the import and the services all check it), keeps the
vocabulary's order (the files are then stable), and shows as checkboxes in a model form.
`EmailListField` is a JSON list of e-mail addresses, typed one per line.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils.translation import gettext_lazy as _

from learners import lieux_vocabularies


def vocabulary(name: str) -> tuple[tuple[str, Any], ...]:
    """The (value, label) pairs of a vocabulary of `lieux_vocabularies`, by its name."""
    return getattr(lieux_vocabularies, name)


class VocabularyListField(models.JSONField):
    def __init__(self, *args: Any, vocabulary: str = "", **kwargs: Any) -> None:
        self.vocabulary_name = vocabulary
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["vocabulary"] = self.vocabulary_name
        if kwargs.get("default") is list:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    @property
    def vocabulary_choices(self) -> tuple[tuple[str, Any], ...]:
        return vocabulary(self.vocabulary_name)

    def ordered(self, values: list[str]) -> list[str]:
        """The values in the vocabulary's order, without repeats."""
        chosen = set(values)
        return [value for value, _label in self.vocabulary_choices if value in chosen]

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(_("Une liste de valeurs est attendue."), code="invalid")
        known = {v for v, _label in self.vocabulary_choices}
        unknown = [v for v in value if v not in known]
        if unknown:
            raise ValidationError(
                _("Valeur inconnue : « %(value)s ». Valeurs possibles : %(allowed)s.")
                % {"value": unknown[0], "allowed": " ; ".join(sorted(known))},
                code="vocabulary",
            )

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if isinstance(value, list):
            value = self.ordered(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs: Any) -> forms.Field:
        return forms.TypedMultipleChoiceField(
            label=str(self.verbose_name).capitalize(),
            help_text=self.help_text,
            required=not self.blank,
            choices=self.vocabulary_choices,
            widget=forms.CheckboxSelectMultiple,
        )


class EmailListFormField(forms.Field):
    """Addresses typed one per line (or separated by `|`, `;` or `,`)."""

    widget = forms.Textarea(attrs={"rows": 2})

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list):
            return value
        return split_emails(str(value or ""))

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value: Any) -> None:
        check_emails(value)


def split_emails(text: str) -> list[str]:
    parts = re.split(r"[\s|;,]+", text or "")
    return [part.strip().lower() for part in parts if part.strip()]


def check_emails(values: list[str]) -> None:
    for value in values:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError(
                _("« %(value)s » n'est pas une adresse e-mail complète (nom@exemple.fr).")
                % {"value": value},
                code="email",
            ) from None


class EmailListField(models.JSONField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("default") is list:
            del kwargs["default"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        return name, path, args, kwargs

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(_("Une liste d'adresses est attendue."), code="invalid")
        check_emails(value)

    def formfield(self, **kwargs: Any) -> forms.Field:
        return EmailListFormField(
            label=str(self.verbose_name).capitalize(),
            help_text=self.help_text,
            required=not self.blank,
        )
