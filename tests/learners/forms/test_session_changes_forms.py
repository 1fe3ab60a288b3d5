"""The cancel form warns that the reason is public, with an example that says nothing
personal."""

from learners.forms.session_changes import SessionCancelForm


def test_cancel_reason_help_says_it_is_published_as_written():
    help_text = str(SessionCancelForm().fields["reason"].help_text)
    assert "telle quelle" in help_text and "page publique" in help_text
    assert "rien de personnel" in help_text
    assert "malade" not in help_text and "la salle n'est pas disponible" in help_text
