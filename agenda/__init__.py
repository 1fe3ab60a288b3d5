"""« Près de chez vous »: the public agenda of ateliers, temps d'échange and permanences,
sign-up without an account, venue pages and calendar feeds. It builds on `learners`
(sessions, venues, sign-ups) and `workshops` (atelier curricula)."""
