from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection

from wagtail.models import Site

import pytest

from axes.cops import current_cop
from editorial import roles

from .factories import AmbitionPageFactory, AxisPageFactory, ProjectPageFactory, ServiceFactory, UserFactory


def pytest_configure(config):
    """The suite runs on PostgreSQL, the production database, or not at all: on SQLite the search's
    French stemming, the backups and the digests' row locks would go untested while the run passed."""
    if connection.vendor != "postgresql":
        raise pytest.UsageError(
            f"Les tests tournent sur PostgreSQL, pas sur {connection.vendor} : lancez-les par "
            "`make test`, ou `scripts/with_postgres.py .venv/bin/pytest …`, qui démarre une base "
            "PostgreSQL jetable (paquet Debian « postgresql »)."
        )


@pytest.fixture(autouse=True)
def fresh_site_root_paths():
    """Wagtail keeps the sites' root paths in the cache, which a rollback does not undo: a test (or a
    module's demo) that makes another COP current would leave the next ones with its root."""
    Site.clear_site_root_paths_cache()
    yield
    Site.clear_site_root_paths_cache()


@pytest.fixture
def home():
    return current_cop()


@pytest.fixture
def moderator():
    user = UserFactory(username="moderatrice", first_name="Dominique", last_name="Modératrice")
    user.groups.add(Group.objects.get(name=roles.MODERATORS))
    return user


@pytest.fixture
def agent():
    return UserFactory(username="agent", first_name="Camille", last_name="Agent")


@pytest.fixture
def agent_client(client, agent):
    client.force_login(agent)
    return client


@pytest.fixture
def admin_client(client):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


@pytest.fixture
def relation_usagers():
    return ServiceFactory(name="Relation usagers", slug="relation-usagers")


@pytest.fixture
def education():
    return ServiceFactory(name="Éducation", slug="education")


@pytest.fixture
def axis(home):
    return AxisPageFactory(parent=home, number=2, title="Accompagner la transition numérique")


@pytest.fixture
def ambition(axis):
    return AmbitionPageFactory(
        parent=axis, number=16, title="Simplifier l'accès numérique aux services de la ville"
    )


@pytest.fixture
def project(ambition, relation_usagers, education):
    return ProjectPageFactory(
        parent=ambition,
        reference="16.1",
        title="Créer l'application de la ville",
        summary="Une application pour faire ses démarches en ligne.",
        pilot_service=relation_usagers,
        services=[education],
        progress=40,
    )


@pytest.fixture
def page_cache(settings):
    """The page cache as production runs it (the test settings turn it off), empty: fragments and
    agents' whole pages kept in this process's memory. Django renews its cache handlers when
    CACHES changes, and again when the test gives the setting back."""
    settings.COP_PAGE_CACHE = True
    settings.CACHES = {
        **settings.CACHES,
        "template_fragments": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cop-fragments",
            "OPTIONS": {"MAX_ENTRIES": 3000},
        },
    }
    caches["template_fragments"].clear()
    return caches["template_fragments"]
