"""Open Badges 3.0 attestations: keys (`keys`), the credential document (`documents`), its
VC-JWT signature and verification (`jwt`), and the site's public URLs for them (`urls`).

Pure functions over plain values and jwcrypto objects: no database access here; the
services and selectors (`learners.services.attestations`, `learners.selectors.attestations`)
load and store. Vendored: 1EdTech's JSON schema of the credential, for the tests
(`schemas/README.md`).
"""
