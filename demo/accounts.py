"""The demo accounts every demo loader shares (each adds what its app owns to them)."""

DEMO_PASSWORD = "demo-pas-a-pas"  # noqa: S105 - printed on purpose, dev and demo only

DEMO_COORDINATOR = "coordination"
DEMO_COUNSELLORS = ("camille.martin", "julien.bernard", "sophie.petit", "karim.haddad")
DEMO_PARTNER_EDITOR = "editeur.mediatheque"
