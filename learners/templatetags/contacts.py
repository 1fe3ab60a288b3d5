"""Contact details as people read them: `{{ booking.phone|phone_display }}` shows
« 06 12 34 56 78 » rather than the stored E.164 « +33612345678 »."""

from django import template

from learners.contacts import phone_display as _phone_display

register = template.Library()


@register.filter
def phone_display(value: str) -> str:
    return _phone_display(value or "")
