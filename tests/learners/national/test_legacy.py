"""The free-text venue fields written before the standard, mapped by migration 0013."""

from learners.national import lieux_legacy


def test_services_matching_a_national_one_are_mapped_the_rest_kept():
    values, rest = lieux_legacy.map_services(
        "aide aux démarches en ligne\n"
        "Aide aux démarches administratives (CAF, impôts)\n"
        "Loisirs et créations numériques\n"
        "Café numérique mensuel\n"
    )
    assert values == ["Aide aux démarches administratives", "Loisirs et créations numériques"]
    assert rest == "Aide aux démarches administratives (CAF, impôts)\nCafé numérique mensuel"


def test_publics_and_specific_support():
    assert lieux_legacy.map_publics("Seniors, Familles, personnes en insertion") == (
        ["Familles et/ou enfants", "Seniors"],
        "personnes en insertion",
    )
    assert lieux_legacy.map_publics("") == ([], "")
    assert lieux_legacy.map_specific_support(
        "Accessible en fauteuil roulant. Boucle magnétique; malentendants, Illettrisme"
    ) == ["Surdité", "Illettrisme"]
