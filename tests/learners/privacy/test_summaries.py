"""The French summaries of the erasure and retention jobs: plurals by ngettext and
« aucun(e) » for zero (never « 0 inscriptions » nor « (s) »)."""

from learners.services.bookings_privacy import AgendaMinimisation, ContactErasure
from learners.services.privacy import RetentionResult


def test_contact_erasure_summary():
    assert ContactErasure(bookings=0, appointment_requests=0).summary == (
        "Effacé : aucune inscription et aucune demande de rendez-vous."
    )
    assert ContactErasure(bookings=1, appointment_requests=2).summary == (
        "Effacé : 1 inscription et 2 demandes de rendez-vous."
    )


def test_retention_summary():
    result = RetentionResult(
        anonymized=0,
        audit_rows_deleted=1,
        import_jobs_expired=2,
        job_rows_deleted=0,
        agenda=AgendaMinimisation(first_names=1),
    )
    assert result.summary == (
        "aucune personne anonymisée, 1 ligne du journal d'accès supprimée, "
        "2 fichiers d'import effacés, aucune trace de tâche supprimée, "
        "1 inscription ou demande de rendez-vous allégée"
    )
    assert "(s)" not in RetentionResult(2, 2, 2, 2).summary
