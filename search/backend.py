"""The search backend: Wagtail's database backend, with French text search on PostgreSQL.

On PostgreSQL, indexing and querying use the `cop_french` configuration (accents folded,
French stemming) and autocomplete uses `cop_simple` (accents folded, no stemming, so that
a prefix stays a prefix); both come from this app's migration. Elsewhere (the SQLite
quickstart), Wagtail's own choice stands.
"""

from django.db import connection

from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend

SEARCH_CONFIG = "cop_french"
AUTOCOMPLETE_CONFIG = "cop_simple"


class FrenchPostgresSearchBackend(PostgresSearchBackend):
    def __init__(self, params):
        super().__init__({"SEARCH_CONFIG": SEARCH_CONFIG, **params})
        self.autocomplete_config = params.get("AUTOCOMPLETE_CONFIG", AUTOCOMPLETE_CONFIG)


def SearchBackend(params):  # noqa: N802 (the name Wagtail looks up in a backend module)
    if connection.vendor == "postgresql":
        return FrenchPostgresSearchBackend(params)
    return DatabaseSearchBackend(params)
