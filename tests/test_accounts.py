"""Administrators set each agent's services on the user form of the Wagtail admin."""

from django.urls import reverse

import pytest

pytestmark = pytest.mark.django_db


def test_an_administrator_sets_an_agents_services(admin_client, agent, relation_usagers, education):
    url = reverse("wagtailusers_users:edit", args=(agent.pk,))
    assert "Services de l&#x27;agent" in admin_client.get(url).content.decode()
    response = admin_client.post(
        url,
        {
            "username": agent.username,
            "email": agent.email,
            "first_name": agent.first_name,
            "last_name": agent.last_name,
            "is_active": "on",
            "services": [relation_usagers.pk, education.pk],
        },
    )
    assert response.status_code == 302
    assert set(agent.services.values_list("slug", flat=True)) == {"relation-usagers", "education"}
