"""No input answers 500: what a reader URL cannot use gets a French 4xx, or is left out with a word.

First the reproductions of issue 13, one by one; then Hypothesis throws random Unicode, NUL bytes,
superscript and huge numbers and impossible dates at every family of reader URLs (PRODUCT.md,
"Public URLs"), as a signed-in agent, and asks only that the site never answer 500.
"""

import datetime
import html
import operator
from urllib.parse import quote

from django.urls import reverse

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from digests.models import Scope, Subscription

pytestmark = pytest.mark.django_db


def get(client, path, params=None):
    response = client.get(path, params or {})
    assert response.status_code < 500
    return response


def text_of(response):
    return html.unescape(response.content.decode())


def test_a_nul_byte_in_a_search_is_left_out(agent_client, project):
    response = get(agent_client, "/recherche/?q=application%00")
    assert response.status_code == 200
    assert response.context["params"].query == "application"
    assert [result.reference for result in response.context["outcome"].page.object_list] == ["16.1"]


def test_a_nul_byte_in_the_suggestions_is_left_out(agent_client, project):
    response = get(agent_client, "/recherche/suggestions/?q=appli%00cation")
    assert response.json()["query"] == "application"
    assert [found["label"] for found in response.json()["suggestions"]][0].startswith("16.1")


def test_a_double_quote_searches_the_words_around_it(agent_client, project):
    """SQLite's full-text syntax read the quote as its own (the quickstart answered 500)."""
    assert get(agent_client, "/recherche/?q=%22").status_code == 200
    response = get(agent_client, "/recherche/", {"q": '"application" de la ville'})
    assert "16.1" in [
        getattr(result, "reference", None) for result in response.context["outcome"].page.object_list
    ]
    assert get(agent_client, "/recherche/suggestions/", {"q": '"appli'}).json()["suggestions"]


def test_a_superscript_axis_number_is_a_filter_left_out(agent_client, project):
    response = get(agent_client, "/recherche/?axe=%C2%B2&q=application")
    assert response.status_code == 200
    assert "L’axe « ² » n'existe pas : ce filtre est ignoré." in text_of(response)
    assert response.context["params"].axis is None


def test_a_service_with_a_nul_byte_is_a_filter_left_out(agent_client, project):
    response = get(agent_client, "/recherche/?service=education%00x&q=application")
    assert response.status_code == 200
    assert "Le service « educationx » n'existe pas : ce filtre est ignoré." in text_of(response)


def test_a_date_at_the_end_of_the_calendar_is_refused_in_french(agent_client, project):
    journal = get(agent_client, "/evolutions/?au=9999-12-31")
    assert journal.status_code == 200
    assert "Choisissez une date entre le 01/01/1900 et le 31/12/2100." in text_of(journal)
    assert get(agent_client, "/evolutions/flux/?au=9999-12-31").status_code == 200
    comparison = get(agent_client, "/evolutions/comparer/?du=2024-01-01&au=9999-12-31")
    assert comparison.status_code == 200
    assert comparison.context["comparison"] is None
    assert "Choisissez une date entre" in text_of(comparison)


def test_a_subscription_to_a_superscript_axis_is_refused_and_writes_nothing(agent_client, project):
    response = agent_client.post(
        reverse("digests:subscribe"),
        {"portee": Scope.AXIS, "cible": "²", "frequence": "hebdomadaire"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Cet axe n'existe pas ou n'est pas publié." in text_of(response)
    assert not Subscription.objects.exists()


def test_a_project_reference_with_a_nul_byte_is_not_found(agent_client, project):
    assert get(agent_client, "/projets/16.1%00/").status_code == 404
    assert get(agent_client, "/projets/16.1/").status_code == 302


# What agents never type but a URL can carry: NUL bytes, digits that str.isdigit() accepts and int()
# refuses, numbers too large for any column, dates past the calendar's ends, query syntax, case
# changes that lengthen a text (İ), text direction marks.
EDGE_CASES = [
    "",
    " ",
    "\x00",
    "ecole\x00",
    "²",
    "¹²³",
    "٣",
    "５",
    "𝟗",
    "-1",
    "0",
    "1.1\x00",
    "99999999999999999999",
    "9" * 400,
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "2024-02-30",
    "31/12/9999",
    '"',
    "'",
    "%",
    "\\",
    "*",
    "NEAR(",
    "a OR",
    "İ" * 200,
    "\u202e",
    "\ufeff",
    "a" * 3000,
]


def nasty_text():
    numbers = st.integers(min_value=-(10**40), max_value=10**40)
    impossible_dates = st.tuples(st.integers(0, 99999), st.integers(0, 99), st.integers(0, 99))
    text = st.one_of(
        st.sampled_from(EDGE_CASES),
        st.text(max_size=30),
        st.text(alphabet="0123456789²³¹⁰٣-./\x00 ", max_size=12),
        numbers.map(str),
        st.dates().map(datetime.date.isoformat),
        impossible_dates.map(lambda ymd: "{:04d}-{:02d}-{:02d}".format(*ymd)),
    )
    # Half of the values end with a NUL byte or a superscript digit, the reproductions' culprits.
    return st.builds(operator.add, text, st.sampled_from(["", "", "\x00", "²"]))


def query(*names):
    return st.dictionaries(st.sampled_from(names), nasty_text(), max_size=len(names))


def segment():
    """A path segment, as a browser would send it."""
    return nasty_text().map(lambda text: quote(text, safe=""))


# Reproducible in CI (derandomize), and quick: the examples of a family share its test's database.
FUZZ = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# For the families tried once per URL pattern.
FUZZ_EACH = settings(FUZZ, max_examples=12)


@FUZZ
@given(params=query("q", "service", "axe", "statut", "page"))
@example(params={"q": "ecole\x00"})
@example(params={"q": '"'})
@example(params={"axe": "²"})
@example(params={"service": "x\x00"})
@example(params={"q": "ambition " + "9" * 100, "page": "²"})
@example(params={"q": "İ" * 200})  # twice as long in lower case, as the search report keeps it
def test_the_search_never_answers_500(agent_client, project, params):
    get(agent_client, "/recherche/", params)


@FUZZ
@given(params=query("q"))
@example(params={"q": "a\x00b"})
@example(params={"q": '"a'})
def test_the_suggestions_never_answer_500(agent_client, project, params):
    get(agent_client, "/recherche/suggestions/", params)


@FUZZ
@given(
    path=st.sampled_from(["/evolutions/", "/evolutions/flux/"]),
    params=query("du", "au", "axe", "service", "page"),
)
@example(path="/evolutions/", params={"au": "9999-12-31"})
@example(path="/evolutions/flux/", params={"au": "9999-12-31"})
@example(path="/evolutions/", params={"du": "0001-01-01", "axe": "²", "service": "x\x00"})
def test_the_journal_and_its_feed_never_answer_500(agent_client, project, path, params):
    get(agent_client, path, params)


@FUZZ
@given(params=query("du", "au"))
@example(params={"du": "2024-01-01", "au": "9999-12-31"})
@example(params={"du": "0001-01-01", "au": "0001-01-01"})
def test_the_comparison_never_answers_500(agent_client, project, params):
    get(agent_client, "/evolutions/comparer/", params)


READER_PAGES = [
    "/",
    "/services/",
    "/services/education/",
    "/mon-service/",
    "/partenariats/",
    "/accessibilite/",
    "/evolutions/",
    "/abonnements/",
    "/export/projets.csv",
    "/export/projets.xlsx",
]


@pytest.mark.parametrize("path", READER_PAGES)
@FUZZ_EACH
@given(params=st.dictionaries(nasty_text(), nasty_text(), max_size=3))
@example(params={"page": "²", "q": "\x00"})
def test_the_reader_pages_leave_unknown_parameters_alone(agent_client, project, path, params):
    assert get(agent_client, path, params).status_code in (200, 302)


def cop_pages(project):
    return {"axis": project.get_parent().get_parent(), "ambition": project.get_parent(), "project": project}


@FUZZ
@given(
    level=st.sampled_from(["axis", "ambition", "project"]),
    tail=st.sampled_from(["", "historique/"]),
    params=query("page", "q"),
)
@example(level="project", tail="historique/", params={"page": "9" * 5000})
def test_a_cop_page_and_its_history_never_answer_500(agent_client, project, level, tail, params):
    assert get(agent_client, cop_pages(project)[level].url + tail, params).status_code == 200


SHORT_LINKS = [
    "/projets/{}/",
    "/ambitions/{}/",
    "/services/{}/",
    "/services/{}/fiche.pdf",
    "/export/projets.{}",
    "/abonnements/desabonnement/{}/",
    "/{}/",
    "/{}/chapitre.pdf",
    "/{}/historique/",
]


@pytest.mark.parametrize("pattern", SHORT_LINKS)
@FUZZ_EACH
@given(value=segment())
@example(value="1.1%00")
@example(value="9" * 30)
@example(value="%C2%B2")
def test_every_path_segment_is_found_or_not_found(agent_client, project, pattern, value):
    get(agent_client, pattern.format(value))


@FUZZ
@given(
    level=st.sampled_from(["axis", "ambition", "project"]),
    value=segment(),
    tail=st.sampled_from(["", "historique/"]),
)
@example(level="project", value="%00", tail="historique/")
def test_a_path_below_a_cop_page_is_found_or_not_found(agent_client, project, level, value, tail):
    get(agent_client, f"{cop_pages(project)[level].url}{value}/{tail}")


@FUZZ
@given(
    form=st.fixed_dictionaries(
        {},
        optional={
            "portee": st.one_of(st.sampled_from(Scope.values), nasty_text()),
            "cible": nasty_text(),
            "frequence": st.one_of(st.sampled_from(["hebdomadaire", "mensuelle"]), nasty_text()),
            "suivant": st.one_of(st.just("/recherche/"), nasty_text()),
        },
    )
)
@example(form={"portee": "axe", "cible": "²", "frequence": "hebdomadaire"})
@example(form={"portee": "axe", "cible": "9" * 40, "frequence": "hebdomadaire"})
@example(form={"portee": "service", "cible": "education\x00", "frequence": "mensuelle"})
def test_the_subscription_form_never_answers_500(agent_client, project, form):
    response = agent_client.post(reverse("digests:subscribe"), form)
    assert response.status_code == 302


@FUZZ
@given(value=segment())
@example(value="9" * 30)
def test_cancelling_an_unknown_subscription_is_not_found(agent_client, project, value):
    response = agent_client.post(f"/abonnements/{value}/resilier/")
    assert response.status_code == 404
