"""The read API's indicators (`/api/v2/indicators/`): the published indicators that any agent may
read, their targets and values as published (never a draft's), the pages they measure that any
agent may read; the same queries for 3 indicators as for 30; bad parameters are 400s in French."""

import datetime

from wagtail.models import PageViewRestriction

import pytest

from indicators.models import Indicator
from indicators.values import put_value

from .factories import AmbitionPageFactory, IndicatorFactory, ProjectPageFactory
from .test_api import assert_refused_in_french, get, items, new_token

pytestmark = pytest.mark.django_db

INDICATORS = "/api/v2/indicators/"
END_2024, END_2025 = datetime.date(2024, 12, 31), datetime.date(2025, 12, 31)
SECRET_VALUE = 987654


@pytest.fixture
def key():
    return new_token()[1]


@pytest.fixture
def indicator(ambition, project, relation_usagers):
    return IndicatorFactory(
        name="Taux de dématérialisation des démarches",
        slug="taux-de-dematerialisation",
        unit="%",
        service=relation_usagers,
        baseline_value=20,
        targets=[(datetime.date(2028, 12, 31), 80)],
        values=[(END_2024, 30), (END_2025, "42.5")],
        ambitions=[ambition],
        projects=[project],
    )


def test_a_token_reads_the_published_indicators_with_their_series_and_pages(
    client, key, indicator, ambition, project, relation_usagers, settings
):
    [listed] = items(get(client, INDICATORS, key))
    assert listed["name"] == "Taux de dématérialisation des démarches"
    assert listed["meta"]["html_url"] == f"{settings.COP_BASE_URL}/indicateurs/taux-de-dematerialisation/"
    assert listed["meta"]["detail_url"] == f"{settings.COP_BASE_URL}{INDICATORS}{indicator.pk}/"
    assert listed["direction"] == {"code": "hausse", "label": "À la hausse"}
    assert listed["service"]["slug"] == relation_usagers.slug
    assert listed["baseline_value"] == 20
    assert listed["targets"] == [{"date": "2028-12-31", "value": 80}]
    assert listed["values"] == [{"date": "2024-12-31", "value": 30}, {"date": "2025-12-31", "value": 42.5}]
    assert listed["ambitions"] == [{"id": ambition.pk, "number": ambition.number, "title": ambition.title}]
    assert listed["projects"] == [{"id": project.pk, "reference": project.reference, "title": project.title}]

    detail = get(client, listed["meta"]["detail_url"].removeprefix(settings.COP_BASE_URL), key).json()
    assert detail["values"] == listed["values"]


def test_the_endpoint_describes_itself_in_french(client, key):
    options = client.options(INDICATORS, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert options["name"] == "Indicateurs"
    assert options["description"] == "Les indicateurs publiés du COP, leurs cibles et leurs valeurs publiées."


def test_a_drafts_value_and_a_never_published_indicator_are_not_in_the_api(
    client, key, indicator, relation_usagers
):
    draft = Indicator.objects.get(pk=indicator.pk)
    put_value(draft, datetime.date(2026, 6, 30), SECRET_VALUE, None, None)
    draft.save_revision()
    hidden = IndicatorFactory(name="Indicateur jamais publié", service=relation_usagers, live=False)

    listing = get(client, f"{INDICATORS}?limit=100", key).content.decode()
    assert str(SECRET_VALUE) not in listing and "jamais publié" not in listing
    assert get(client, f"{INDICATORS}{hidden.pk}/", key).status_code == 404
    assert str(SECRET_VALUE) not in get(client, f"{INDICATORS}{indicator.pk}/", key).content.decode()


def restrict_to_groups(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)


def test_a_restricted_page_is_not_named_and_its_only_indicator_is_not_listed(
    client, key, indicator, axis, ambition, relation_usagers
):
    secret_ambition = AmbitionPageFactory(parent=axis, number=17, title="Ambition réservée")
    restrict_to_groups(secret_ambition)
    secret_project = ProjectPageFactory(parent=ambition, reference="16.8", title="Projet réservé")
    restrict_to_groups(secret_project)
    indicator.projects.add(secret_project)
    IndicatorFactory(
        name="Indicateur d'une page réservée", service=relation_usagers, ambitions=[secret_ambition]
    )

    text = get(client, f"{INDICATORS}?limit=100", key).content.decode()
    assert "réservé" not in text
    assert [listed["name"] for listed in items(get(client, INDICATORS, key))] == [indicator.name]


def test_the_listing_makes_the_same_queries_for_3_and_30_indicators(
    client, key, indicator, ambition, project, relation_usagers, django_assert_max_num_queries
):
    def grow(size):
        for number in range(Indicator.objects.count(), size):
            IndicatorFactory(
                service=relation_usagers,
                values=[(END_2024, number), (END_2025, number + 1)],
                ambitions=[ambition],
                projects=[project],
            )

    url = f"{INDICATORS}?limit=100"
    get(client, url, key)  # the site's root paths in the cache, as on any server after one request
    # The token, the restrictions, the COPs, the count and the rows, then the targets, the values,
    # the ambitions and the projects (one query each), and the token's last use once a minute.
    for size in (3, 30):
        grow(size)
        with django_assert_max_num_queries(10):
            assert len(items(get(client, url, key))) == size


@pytest.mark.parametrize(
    "query",
    [
        "order=values",
        "order=inconnu",
        "baseline_date=demain",
        "baseline_value=beaucoup",
        "service=x",
        "parametre=inconnu",
        "limit=1000",
        "fields=inconnu",
    ],
)
def test_a_bad_parameter_is_a_400_in_french(client, key, indicator, query):
    assert_refused_in_french(get(client, f"{INDICATORS}?{query}", key))


@pytest.mark.parametrize(
    "query", ["direction=baisse", "slug=inconnu", "order=-name", "fields=_,name", f"service=1&id={10**20}"]
)
def test_odd_but_valid_requests_answer_without_an_error(client, key, indicator, query):
    assert get(client, f"{INDICATORS}?{query}", key).status_code in {200, 400}
