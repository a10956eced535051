"""A search that understands agents: plurals and case, the editors' thesaurus, typos, the order of
the results, and the close results below the full ones."""

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

import pytest

from editorial import roles
from search.engine import SearchParams, run_search
from search.french import forms
from search.models import SynonymGroup

from .factories import ProjectPageFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seniors():
    return ServiceFactory(name="Seniors", slug="seniors")


@pytest.fixture
def cop(ambition, seniors, education):
    """A few projects of ambition 16, each found by other words than those of its text."""
    projects = [
        ("16.1", "Rénovation de l'école Jules-Ferry", "Des classes isolées du bruit.", education, ""),
        ("16.2", "Stationnement vélo sécurisé", "Des arceaux près des gares.", education, ""),
        ("16.3", "Registre des personnes âgées isolées", "Des appels de convivialité.", seniors, ""),
        ("16.4", "Ateliers de convivialité", "Des rencontres pour les seniors.", seniors, ""),
        ("16.5", "Cantine bio", "Des repas locaux dans chaque école.", education, ""),
        ("16.6", "Ouverture le samedi", "Des horaires élargis.", education, "<p>Pour les écoles.</p>"),
        ("16.7", "Accueil du centre communal d'action sociale", "Un guichet unique.", education, ""),
    ]
    return {
        reference: ProjectPageFactory(
            parent=ambition, reference=reference, title=title, summary=summary, pilot_service=pilot, body=body
        )
        for reference, title, summary, pilot, body in projects
    }


def found(query, **params):
    outcome = run_search(SearchParams(query=query, **params))
    full = [page.reference for page in outcome.page.object_list if hasattr(page, "reference")]
    return full, [getattr(page, "reference", page.title) for page in outcome.close]


def search_page(client, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def editor_client():
    editor = UserFactory(username="editrice")
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    client = Client()
    client.force_login(editor)
    return client


def test_every_form_of_a_word_is_asked_for():
    assert forms("vélos") == ("velo", "velos")
    assert set(forms("isolés")) == set(forms("isolées")) >= {"isole", "isolee", "isoles", "isolees"}
    assert "jeu" in forms("jeux")
    assert forms("PLU") == ("plu",)  # an acronym, not the plural of "plu"
    assert forms("bus") == ("bus",)


@pytest.mark.parametrize("query", ["velo", "vélo", "velos", "vélos", "VELOS", "Vélos"])
def test_singular_plural_accents_and_case_find_the_same_project(cop, query):
    assert found(query)[0] == ["16.2"]


def test_ecole_ecoles_and_capitals_find_the_same_results(cop):
    results = {query: found(query)[0] for query in ("ECOLE", "ecoles", "écoles", "école", "Ecole")}
    assert len({tuple(result) for result in results.values()}) == 1, results
    assert set(results["ECOLE"]) == {"16.1", "16.5", "16.6"}


def test_a_feminine_plural_finds_the_masculine_plural(cop):
    assert "16.1" in found("classes isolés")[0]  # "isolées" in the text: Snowball alone misses it


def test_the_title_comes_before_the_summary_and_the_summary_before_the_body(cop):
    assert found("ecole")[0] == ["16.1", "16.5", "16.6"]


def test_seniors_isoles_finds_the_elderly_project_of_the_seniors_service_first(cop):
    full, close = found("seniors isolés")
    assert full[0] == "16.3"  # "personnes âgées isolées", through the thesaurus
    assert "16.4" in close  # seniors, but not isolated: below, among the close results


def test_an_acronym_finds_its_expansion_and_back(cop):
    assert found("CCAS")[0] == ["16.7"]
    assert found("centre communal d'action sociale")[0] == ["16.7"]


def test_a_typo_in_a_title_finds_it_among_the_close_results(cop):
    full, close = found("stationnemnt")
    assert full == []
    assert close[0] == "16.2"


def test_a_typo_in_a_service_name_finds_its_projects(cop):
    full, close = found("senniors")
    assert full == []
    assert {"16.3", "16.4"} <= set(close)


def test_close_results_come_below_the_full_ones_under_their_own_heading(agent_client, cop):
    html = search_page(agent_client, "seniors isolés")
    assert "1\xa0résultat pour « seniors isolés », et" in html
    assert "Synonymes pris en compte : « seniors » (aussi « personnes âgées »" in html
    assert html.index('<span class="ref">16.3</span>') < html.index("Résultats approchants")
    assert html.index("Résultats approchants") < html.index('<span class="ref">16.4</span>')
    assert '<ol class="search-results" aria-labelledby="resultats-approchants">' in html


def test_only_close_results_say_so_in_french(agent_client, cop):
    html = search_page(agent_client, "stationnemnt")
    assert "0\xa0résultat pour « stationnemnt », et 1\xa0résultat approchant." in html
    assert "ne contient tous les mots de votre recherche" in html


def test_a_reference_is_never_widened_to_close_results(cop):
    assert found("projet 16.2") == (["16.2"], [])


def test_an_editor_adds_synonyms_and_the_next_search_uses_them_even_from_the_cache(
    agent_client, cop, page_cache
):
    assert "0\xa0résultat pour « oasis »" in search_page(agent_client, "oasis")
    response = editor_client().post(
        reverse("wagtailsnippets_search_synonymgroup:add"), {"terms": "oasis, cantine bio"}
    )
    assert response.status_code == 302
    assert SynonymGroup.objects.filter(terms="oasis, cantine bio").exists()
    assert '<span class="ref">16.5</span>' in search_page(agent_client, "oasis")


def test_a_group_of_one_term_is_refused_in_french(cop):
    add = reverse("wagtailsnippets_search_synonymgroup:add")
    response = editor_client().post(add, {"terms": "vélo, Vélo"})
    assert response.status_code == 200
    assert "Indiquez au moins deux termes différents" in response.content.decode()


def test_agents_cannot_edit_the_thesaurus(agent_client):
    response = agent_client.get(reverse("wagtailsnippets_search_synonymgroup:list"))
    assert response.status_code in (302, 403)


def test_a_search_with_close_results_costs_a_fixed_number_of_queries(
    agent_client, ambition, cop, django_assert_max_num_queries
):
    """Session, user, restrictions, thesaurus, the full matches, the close ones (titles spelt
    nearly so with pg_trgm's threshold, services spelt nearly so and their projects, some of the
    words, prefixes), the results as their types, places and services, facets, the search counted,
    promotions, identity, permissions: more results never cost one more."""
    search_page(agent_client, "seniors isolés")  # the first search of a query also records it
    with django_assert_max_num_queries(28):
        search_page(agent_client, "seniors isolés")
    for index in range(10, 20):
        ProjectPageFactory(parent=ambition, reference=f"16.{index}", title=f"Ateliers seniors {index}")
    with django_assert_max_num_queries(28):
        search_page(agent_client, "seniors isolés")


@pytest.mark.parametrize("query", ["!!!", "«»", "l'", "de la", "x" * 500, "vélo\x00s", "'\\:*&|!<->"])
def test_odd_queries_answer_in_french(agent_client, cop, query):
    assert "résultat" in search_page(agent_client, query)


def test_suggestions_know_plurals_and_synonyms(agent_client, cop):
    ServiceFactory(name="Centre communal d'action sociale", slug="ccas")

    def labels(query):
        response = agent_client.get(reverse("search_suggestions"), {"q": query})
        return [suggestion["label"] for suggestion in response.json()["suggestions"]]

    assert "16.2 Stationnement vélo sécurisé" in labels("velos")
    assert "Centre communal d'action sociale" in labels("CCAS")
