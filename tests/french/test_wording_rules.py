"""The wording checker finds each error it is meant to find, and passes correct French."""

import pytest

from .wording import visible_text, wording_errors

NAMES = ("Odette", "Yves", "Hélène", "Atelier Internet")


@pytest.mark.parametrize(
    "markup",
    [
        "<p>Le carnet de Odette</p>",
        "<p>Le carnet de Hélène</p>",
        "<p>la fiche de Yves</p>",
        "<p>mardi 1 janvier</p>",
        "<p>Prochaine séance : Mercredi 9 décembre</p>",
        "<p>mercredi 9 Décembre</p>",
        "<p>0 inscrits</p>",
        "<p>1 places libres</p>",
        "<td>(1 libres)</td>",
        "<p>Odette est inscrit(e).</p>",
        "<p>2 personne(s)</p>",
        '<img alt="Photo de Odette" src="x.png">',
    ],
)
def test_each_error_is_found(markup):
    errors = wording_errors("essai", markup, names=NAMES)
    assert len(errors) == 1, errors
    assert errors[0].startswith("essai : ")


@pytest.mark.parametrize(
    "markup",
    [
        "<p>Le carnet d'Odette, la fiche d'Yves, le suivi d'Hélène</p>",
        "<p>Mercredi 9 décembre</p><p>vendredi 1er janvier</p>",
        "<p>0 inscrit, 1 place libre, 2 places libres, 10 places, 21 dates</p>",
        "<p>de Paris, de Jean</p>",  # names not inserted by the test are left alone
        "<script>var a = '0 places (s)';</script><p>Accueil</p>",
        "<td>1</td><td>places</td>",
    ],
)
def test_correct_french_passes(markup):
    assert wording_errors("essai", markup, names=NAMES) == []


def test_visible_text_keeps_cells_apart_and_reads_attributes():
    text = visible_text('<td>1</td><td>inscrit</td><button aria-label="Fermer">x</button>')
    assert "1\ninscrit" in text and "Fermer" in text
