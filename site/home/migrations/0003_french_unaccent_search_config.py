"""PostgreSQL only: the `french_unaccent` text search configuration used by Wagtail's
database search backend (settings: WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"]).

It is PostgreSQL's `french` configuration with accents removed before French stemming, so
people find « impôts » by typing « impots » and « ateliers » by typing « atelier ». Words
that contain only ASCII letters (`asciiword`, ...) already go straight to `french_stem`;
words with accents (`word`, `hword`, `hword_part`) go through `unaccent` first.

A no-op on SQLite, whose FTS5 tokenizer removes diacritics by itself (see
workshops.selectors.build_search_query).
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION french_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
    END IF;
END
$$;
"""

BACKWARD = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_create_homepage"),
    ]

    operations = [migrations.RunPython(forward, backward)]
