"""What a person types to say where they live: names with or without accents, hyphens,
articles, « st », postal codes, old names of merged communes; too vague; unknown."""

import pytest

from agenda.communes import LookupProblem, commune_lookup, insee_code_or_empty

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    ["la roche sur yon", "La Roche-sur-Yon", "LA ROCHE SUR YON", "roche sur yon", "85191"],
)
def test_the_ways_people_type_la_roche_sur_yon(communes, typed):
    found = commune_lookup(text=typed)
    assert found.commune == communes["85191"], found


def test_a_postcode_shared_by_two_communes_offers_both_most_populated_first(communes):
    found = commune_lookup(text="85000")
    assert found.commune is None
    assert [c.insee_code for c in found.choices] == ["85191", "85155"]


def test_a_postcode_among_several_of_a_commune(communes):
    assert commune_lookup(text="85 180").commune == communes["85194"]


def test_st_gilles_offers_the_saint_gilles_to_choose_from(communes):
    found = commune_lookup(text="st gilles")
    assert found.commune is None
    assert {c.insee_code for c in found.choices} == {"30258", "85222"}
    # Ordered by population.
    assert found.choices[0].insee_code == "30258"


def test_choosing_among_the_choices_by_insee_code(communes):
    found = commune_lookup(text="st gilles", insee_code="85222")
    assert found.commune == communes["85222"]


def test_the_old_name_of_a_merged_commune(communes):
    found = commune_lookup(text="montaigu")
    # « Montaigu » is a commune of the Aisne and the old name of Montaigu-Vendée.
    assert {c.insee_code for c in found.choices} == {"85146", "02498"}
    assert found.choices[0].insee_code == "85146"


@pytest.mark.parametrize("typed", ["85", "850", "l", "8"])
def test_too_vague(communes, typed):
    found = commune_lookup(text=typed)
    assert found.commune is None and not found.choices
    assert found.problem == LookupProblem.VAGUE


@pytest.mark.parametrize("typed", ["Atlantide", "99999", "%%%%", "x" * 500])
def test_unknown(communes, typed):
    found = commune_lookup(text=typed)
    assert found.commune is None and not found.choices
    assert found.problem in (LookupProblem.UNKNOWN, LookupProblem.VAGUE)


def test_nothing_typed(communes):
    assert commune_lookup(text="  ").problem == LookupProblem.EMPTY


def test_a_bad_insee_code_falls_back_to_the_text(communes):
    assert commune_lookup(text="landeronde", insee_code="'; drop").commune == communes["85118"]


def test_at_most_two_queries(communes, django_assert_max_num_queries):
    commune_lookup(text="montaigu")  # the old names, read once per process
    with django_assert_max_num_queries(1):
        commune_lookup(text="st gilles")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("85191", "85191"),
        (" 85191 ", "85191"),
        ("2a004", "2A004"),
        ("2B033", "2B033"),
        ("85\x00191", ""),
        ("8519", ""),
        ("851910", ""),
        ("2C004", ""),
        ("８５１９１", ""),
        ("", ""),
    ],
)
def test_insee_code_shape(raw, expected):
    assert insee_code_or_empty(raw) == expected


def test_lookup_with_a_malformed_code_is_as_if_none_was_given(communes):
    assert commune_lookup(text="", insee_code="85\x00191").problem == LookupProblem.EMPTY
    assert commune_lookup(text="", insee_code="85191").commune.name == "La Roche-sur-Yon"
