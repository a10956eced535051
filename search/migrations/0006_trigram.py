"""Spelling tolerance on titles and services' names: PostgreSQL's trigrams (pg_trgm, a trusted
extension that the database's owner may create). Going back leaves it: other indexes may use it."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_starting_synonyms")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
