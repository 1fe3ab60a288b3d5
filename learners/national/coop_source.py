"""Where the La Coop de la médiation numérique mappings were read from.

Every label of `coop_labels`, `coop_activities` and `coop_beneficiaries` was copied from
this commit of the Coop's public repository; the fixtures of
`tests/learners/national/fixtures/coop_*.json` record the same commit, so a test fails when
one side changes without the other.
"""

COOP_REPOSITORY = "inclusion-numerique/coop-mediation-numerique"
COOP_COMMIT = "46aa33bdf21c42c2d5bbb2913f5c453cca5a9542"
ACTIVITIES_SOURCE = (
    "apps/web/src/features/activites/use-cases/list/export/buildAccompagnementsWorksheet.ts"
)
BENEFICIARIES_SOURCE = "apps/web/public/modeles/coop-numerique_import-beneficiaires.xlsx"
