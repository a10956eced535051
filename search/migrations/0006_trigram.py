"""Spelling tolerance on titles: PostgreSQL's trigrams (pg_trgm, a trusted extension that the
database's owner may create), and an index of the pages' titles, lower case and without accents,
that finds the titles nearest to a query without reading them all.

`unaccent()` may not appear in an index (it depends on a dictionary that could change): the
index reads `cop_unaccent()`, which calls it from the schema where the extension lives and
promises PostgreSQL that it does not change. Going back keeps pg_trgm: other indexes may use it.
"""

from django.db import migrations

INDEX = "search_page_title_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'unaccent'"
        )
        schema = schema_editor.quote_name(cursor.fetchone()[0])
    schema_editor.execute(
        "CREATE OR REPLACE FUNCTION cop_unaccent(text) RETURNS text"
        " LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT"
        f" AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$"
    )
    table = apps.get_model("wagtailcore", "Page")._meta.db_table
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gist (cop_unaccent(lower(title)) gist_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute("DROP FUNCTION IF EXISTS cop_unaccent(text)")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_starting_synonyms"), ("wagtailcore", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
