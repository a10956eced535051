"""French full-text search on PostgreSQL: accents folded (unaccent), words stemmed (french_stem)."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS unaccent;
DROP TEXT SEARCH CONFIGURATION IF EXISTS cop_french;
CREATE TEXT SEARCH CONFIGURATION cop_french (COPY = french);
ALTER TEXT SEARCH CONFIGURATION cop_french
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
DROP TEXT SEARCH CONFIGURATION IF EXISTS cop_simple;
CREATE TEXT SEARCH CONFIGURATION cop_simple (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION cop_simple
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
"""

DROP = """
DROP TEXT SEARCH CONFIGURATION IF EXISTS cop_french;
DROP TEXT SEARCH CONFIGURATION IF EXISTS cop_simple;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    operations = [migrations.RunPython(create, drop)]
