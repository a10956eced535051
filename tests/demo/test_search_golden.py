"""Golden queries on the demo COP: what agents type, and what they expect to find first.

Each case is (query, references or ambition numbers expected among the first results, how many
first results to look at). "A16" stands for ambition n° 16. Runs on PostgreSQL, where search
folds accents and stems French (the suite runs on PostgreSQL only: tests/conftest.py).
"""

import pytest

from axes.models import AmbitionPage, ProjectPage
from search.engine import SearchParams, run_search
from utils.text import fold

pytestmark = pytest.mark.django_db

GOLDEN = [
    # accentless, singular or plural
    ("ecole", {"1.1", "1.5"}, 3),
    ("ecoles", {"1.1", "1.5"}, 3),
    ("écoles", {"1.1", "1.5"}, 3),
    ("velo", {"31.1"}, 4),
    ("vélo", {"31.1"}, 4),
    ("demarches", {"16.5"}, 3),
    ("démarche", {"16.5"}, 3),
    ("numeriques", {"A11"}, 3),
    ("numérique", {"A11"}, 3),
    ("creche", {"2.1", "2.2"}, 2),
    ("cantine", {"39.3"}, 3),
    ("mediatheque", {"22.1", "22.2"}, 3),
    ("teletravail", {"19.3"}, 1),
    ("cybersecurite", {"14.1"}, 1),
    ("videoprotection", {"9.2"}, 1),
    ("dechets", {"38.2"}, 3),
    ("energie", {"A33"}, 3),
    # plurals that the French stemmer misses once accents are gone, and capitals
    ("velos", {"31.1"}, 4),
    ("vélos", {"31.1"}, 4),
    ("ECOLE", {"1.1", "1.5"}, 3),
    ("ECOLES", {"1.1", "1.5"}, 3),
    ("seniors isoles", {"6.1"}, 1),
    ("personnes isolées", {"6.1"}, 1),
    # synonyms and acronyms of the editors' thesaurus (search/migrations/0005_starting_synonyms.py)
    ("bicyclette", {"31.1"}, 4),
    ("cyclistes", {"31.1"}, 4),
    ("personnes âgées", {"6.2", "6.4"}, 5),
    ("centre communal d'action sociale", {"5.1"}, 3),
    ("bibliotheque", {"22.1", "22.2"}, 3),
    # typos, among the results that come close
    ("mediateque", {"22.1", "22.2"}, 4),
    ("renovaton des ecoles", {"1.1"}, 1),
    ("videoprotecton", {"9.2"}, 1),
    # multi-word
    ("identite numerique", {"16.2"}, 1),
    ("application mobile", {"16.1"}, 1),
    ("pistes cyclables", {"31.1"}, 1),
    ("renovation des ecoles", {"1.1"}, 1),
    ("panneaux solaires", {"33.2"}, 1),
    ("budget participatif", {"47.1"}, 2),
    ("logement social", {"8.1"}, 2),
    ("donnees publiques", {"A15"}, 2),
    ("eclairage public", {"18.1"}, 2),
    # references and ambition numbers come first
    ("16", {"A16"}, 1),
    ("ambition 16", {"A16"}, 1),
    ("n° 16", {"A16"}, 1),
    ("16.2", {"16.2"}, 1),
    ("projet 31.1", {"31.1"}, 1),
    # service names find their projects
    ("relation usagers", {"41.1"}, 5),
    ("restauration municipale", {"39.2"}, 3),
    ("police municipale", {"9.1"}, 2),
    # prefixes, when whole words find nothing
    ("appli", {"16.1"}, 3),
]


def first_results(query, within):
    """What the agent sees first: the full matches, then those that come close."""
    outcome = run_search(SearchParams(query=query))
    return [key(result) for result in [*outcome.page.object_list, *outcome.close][:within]]


def key(result):
    return (
        f"A{result.number}"
        if isinstance(result, AmbitionPage)
        else getattr(result, "reference", result.title)
    )


@pytest.mark.parametrize(("query", "expected", "within"), GOLDEN, ids=[case[0] for case in GOLDEN])
def test_golden_query(demo_cop, query, expected, within):
    first = first_results(query, within)
    assert expected <= set(first), (
        f"« {query} » : {expected} attendus parmi les {within} premiers, obtenus {first}"
    )


def test_a_reference_alone_finds_only_that_project(demo_cop):
    outcome = run_search(SearchParams(query="16.2"))
    assert [key(result) for result in outcome.page.object_list] == ["16.2"]


def test_nonsense_finds_nothing(demo_cop):
    outcome = run_search(SearchParams(query="zzzz"))
    assert (outcome.total, outcome.close) == (0, [])


def test_the_school_renovation_project_ranks_first_among_the_projects_for_ecole(demo_cop):
    """Titles first, then summaries, then the rest: 1.1 was 9th of 9 on the quickstart."""
    projects = [reference for reference in first_results("ecole", 30) if not reference.startswith("A")]
    assert "1.1" in projects[:2]
    titled = [
        project.reference
        for project in ProjectPage.objects.descendant_of(demo_cop).live()
        if "ecole" in fold(project.title)
    ]
    assert set(projects[: len(titled)]) == set(titled)
