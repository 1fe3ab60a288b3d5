import pytest
from django.core.exceptions import ValidationError

from learners.contacts import email_normalize, phone_display, phone_normalize


@pytest.mark.parametrize(
    "typed",
    ["06 12 34 56 78", "0612345678", "+33 6 12 34 56 78", "0033612345678", "06.12.34.56.78"],
)
def test_french_mobiles_typed_any_way_are_one_number(typed):
    assert phone_normalize(typed) == "+33612345678"


def test_nothing_typed_is_no_phone():
    assert phone_normalize("  ") == ""


def test_landline_refused_in_plain_words():
    with pytest.raises(ValidationError) as error:
        phone_normalize("02 51 12 34 56")
    assert "fixe" in error.value.messages[0]


@pytest.mark.parametrize("typed", ["06 12 34", "bonjour", "06" * 20])
def test_malformed_phone_refused(typed):
    with pytest.raises(ValidationError):
        phone_normalize(typed)


def test_foreign_mobile_accepted():
    assert phone_normalize("+32 470 12 34 56") == "+32470123456"


def test_email_lower_cased_and_checked():
    assert email_normalize(" Josiane.B@Exemple.FR ") == "josiane.b@exemple.fr"
    with pytest.raises(ValidationError) as error:
        email_normalize("josiane@")
    assert "nom@exemple.fr" in error.value.messages[0]


def test_phone_display_national():
    assert phone_display("+33612345678") == "06 12 34 56 78"


def test_a_search_accepts_a_landline_and_a_record_s_number_never_raises():
    from learners.contacts import phone_e164_or_empty

    assert phone_normalize("02 51 12 34 56", mobile_only=False) == "+33251123456"
    assert phone_e164_or_empty("02 51 12 34 56") == "+33251123456"
    assert phone_e164_or_empty("pas de téléphone") == ""
