import pytest

from home.models import HomePage

from .factories import AmbitionPageFactory, AxisPageFactory, ProjectPageFactory, ServiceFactory, UserFactory


@pytest.fixture
def home():
    return HomePage.objects.get()


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
