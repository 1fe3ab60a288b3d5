"""Tracking: people, venues, sessions, attendance, competence progress, carnets.

Layout (read the docstrings for the details):

- `learners.models`: the data (re-exported from one module per concept);
- `learners.services`: every write (keyword-only, the acting `user` first, PermissionDenied
  out of scope, French ValidationErrors, an AuditLog row for each write touching a person);
- `learners.selectors`: every read, scoped by role (the requesting `user` first);
- `learners.scoping`: the one place deciding who sees what (Kolibri-style filters);
- `learners.roles`: is_coordinator / is_counsellor / counsellor_structure helpers;
- `learners.codes`: carnet code alphabet, normalisation, HMAC, entropy arithmetic;
- `learners.age_bands`: national age bands at a session date, in Python and in SQL;
- `learners.progress`: the rules of a competence summary;
- `learners.imports`: the spreadsheet import pipeline (above the services it calls);
- `learners.tasks`: thin Celery tasks, above the services (which start them by name,
  `common.background`);
- `common.text.fold` (below the apps): the accent/case/hyphen-insensitive matching key.

Admin screens and public views are thin layers over services and selectors; personal data
is never registered as a Wagtail snippet.
"""
