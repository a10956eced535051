"""Agents read the indicators: the list against their targets, filtered by axis and service; one
indicator with its chart, its data table and its values' history; the indicators of an ambition and
of a project on their pages. Only what a moderator published, of the COP being read."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest
from bs4 import BeautifulSoup

from editorial import roles
from editorial.proposals import submit_value_proposal
from indicators.models import Direction, IndicatorValue
from utils.typography import NARROW_NBSP, NBSP

from .clients import client_for
from .factories import (
    AmbitionPageFactory,
    AxisPageFactory,
    IndicatorFactory,
    ProjectPageFactory,
    UserFactory,
)
from .test_several_cops import make_cop

pytestmark = pytest.mark.django_db


def day(year, month=1, date=1):
    return datetime.date(year, month, date)


def yearly(values, first_year=2019):
    """[(1 January of each year, value), ...]."""
    return [(day(first_year + index), value) for index, value in enumerate(values)]


def page_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content.decode(), "html.parser")


def text_of(element):
    """The text as a reader reads it, its non-breaking spaces as spaces."""
    return " ".join(element.get_text(" ").replace(NBSP, " ").replace(NARROW_NBSP, " ").split())


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200, url
    return len(captured)


def publish_values(indicator, moderator, values=(), changed=(), removed=(), entered_by=None):
    """A new version of the indicator, its values entered by `entered_by` (the moderator by default)
    and published by the moderator, through a revision, as the admin does."""
    entered_by = entered_by or moderator
    indicator = type(indicator).objects.get(pk=indicator.pk)
    rows = [row for row in indicator.values.all() if row.date not in removed]
    for row in rows:
        if row.date in dict(changed):
            row.value, row.entered_by = dict(changed)[row.date], entered_by
    rows += [
        IndicatorValue(date=date, value=value, entered_by=entered_by, entered_at=timezone.now())
        for date, value in values
    ]
    indicator.values = rows
    indicator.save_revision(user=moderator).publish(user=moderator)
    return indicator


@pytest.fixture
def online_procedures(ambition, project, relation_usagers):
    """An indicator of ambition 16 and project 16.1, on its way up to its target."""
    return IndicatorFactory(
        name="Démarches faites en ligne",
        slug="demarches-en-ligne",
        service=relation_usagers,
        unit="%",
        baseline_value=10,
        baseline_date=day(2019),
        values=yearly([20, 35, 45], first_year=2022),
        targets=[(day(2026, 12, 31), 60)],
        ambitions=[ambition],
        projects=[project],
    )


# --- The list ------------------------------------------------------------------------------------


def test_the_list_shows_each_indicator_against_its_target(agent_client, online_procedures):
    IndicatorFactory(name="Arbres plantés", slug="arbres", unit="arbres", baseline_value=0, values=[])

    page = page_of(agent_client, "/indicateurs/")

    rows = {text_of(row.th): row for row in page.select("table.indicator-table tbody tr")}
    assert list(rows) == ["Arbres plantés", "Démarches faites en ligne"]
    line = text_of(rows["Démarches faites en ligne"])
    assert "Relation usagers" in line
    assert "45 % au 1er janvier 2024" in line
    assert "60 % au 31 décembre 2026" in line
    assert "En bonne voie" in line and "en amélioration" in line
    assert rows["Démarches faites en ligne"].th.a["href"] == "/indicateurs/demarches-en-ligne/"
    assert "Pas encore de valeur" in text_of(rows["Arbres plantés"])
    assert "une seule valeur" not in text_of(rows["Arbres plantés"])
    assert "2 indicateurs." in text_of(page.find(role="status"))


def test_the_standing_says_reached_behind_on_track_or_without_target(agent_client, relation_usagers):
    IndicatorFactory(name="Atteint", values=yearly([55]), targets=[(day(2030), 50)])
    IndicatorFactory(name="En retard", values=yearly([11, 12], first_year=2023), targets=[(day(2024), 50)])
    IndicatorFactory(
        name="À la baisse", direction=Direction.DOWN, baseline_value=100, values=yearly([90, 95])
    )
    without_target = IndicatorFactory(name="Sans cible", values=yearly([12]))
    without_target.targets.all().delete()

    rows = {
        text_of(row.th): text_of(row) for row in page_of(agent_client, "/indicateurs/").select("tbody tr")
    }

    assert "Cible atteinte" in rows["Atteint"]
    assert "En retard sur la cible" in rows["En retard"]
    assert "en dégradation" in rows["À la baisse"]
    assert "Sans cible" in rows["Sans cible"] and "En retard" not in rows["Sans cible"]


def test_the_list_filters_by_axis_through_ambitions_and_projects(agent_client, home, online_procedures, axis):
    other_axis = AxisPageFactory(parent=home, number=4, title="Conduire une transition écologique")
    other_ambition = AmbitionPageFactory(parent=other_axis, number=40)
    other_project = ProjectPageFactory(parent=other_ambition, reference="40.1")
    IndicatorFactory(name="Tonnes de déchets", ambitions=[other_ambition])
    IndicatorFactory(name="Kilomètres de pistes", projects=[other_project])

    def names(url):
        return [text_of(row.th) for row in page_of(agent_client, url).select("tbody tr")]

    assert names("/indicateurs/?axe=2") == ["Démarches faites en ligne"]
    assert names("/indicateurs/?axe=4") == ["Kilomètres de pistes", "Tonnes de déchets"]
    filters = page_of(agent_client, "/indicateurs/?axe=4").find("form", class_="history-filters")
    assert filters["method"] == "get"
    assert filters.find("option", selected=True)["value"] == "4"


def test_the_list_filters_by_owning_service(agent_client, online_procedures, education):
    IndicatorFactory(name="Élèves inscrits en ligne", service=education)

    page = page_of(agent_client, "/indicateurs/?service=education")

    assert [text_of(row.th) for row in page.select("tbody tr")] == ["Élèves inscrits en ligne"]
    assert "1 indicateur pour ces filtres." in text_of(page.find(role="status"))


def test_bad_filters_are_told_in_french_and_left_out(agent_client, online_procedures):
    for query, message in [
        ("?axe=deux", "Cet axe n'existe pas dans ce COP"),
        ("?axe=9", "Cet axe n'existe pas dans ce COP"),
        ("?service=nulle-part", "Ce service n'existe pas"),
        ("?page=abc", ""),
        ("?page=999", ""),
    ]:
        page = page_of(agent_client, f"/indicateurs/{query}")
        assert message in text_of(page), query
        assert "Démarches faites en ligne" in text_of(page), query


def test_the_list_says_when_nothing_is_published_or_nothing_matches(agent_client, axis, education):
    assert "Aucun indicateur n'est encore publié" in text_of(page_of(agent_client, "/indicateurs/"))
    IndicatorFactory(name="Sans lien")
    nothing = text_of(page_of(agent_client, "/indicateurs/?service=education"))
    assert "Aucun indicateur publié ne correspond à ces filtres" in nothing


def test_the_list_is_paginated_with_its_filters_kept(agent_client, relation_usagers):
    for number in range(30):
        IndicatorFactory(name=f"Indicateur {number:02}", service=relation_usagers)

    first = page_of(agent_client, "/indicateurs/?service=relation-usagers")
    second = page_of(agent_client, "/indicateurs/" + first.find("a", rel="next")["href"])

    assert len(first.select("tbody tr")) == 25
    assert [text_of(row.th) for row in second.select("tbody tr")] == [
        f"Indicateur {n}" for n in range(25, 30)
    ]
    assert "service=relation-usagers" in first.find("a", rel="next")["href"]


def test_the_main_navigation_and_the_home_page_lead_to_the_indicators(agent_client, axis):
    page = page_of(agent_client, "/")
    assert page.find("nav", id="menu-principal").find("a", string="Indicateurs")["href"] == "/indicateurs/"
    assert page.find("div", class_="home-tools").find("a", string="Indicateurs")["href"] == "/indicateurs/"


# --- One indicator: its chart and its table ---------------------------------------------------


def chart_points(page):
    """The chart's values: (x, y) of each point, in the document's order."""
    svg = page.find("svg", role="img")
    return [
        (float(point["cx"]), float(point["cy"])) for point in svg.find_all("circle", class_="chart-value")
    ]


def table_values(page):
    """The data table's (date, value text, entered by) rows."""
    rows = page.find("div", class_="indicator-values").select("tbody tr")
    return [
        (datetime.date.fromisoformat(row.time["datetime"]), *(text_of(cell) for cell in row.find_all("td")))
        for row in rows
    ]


def test_the_chart_and_its_table_show_the_published_values_in_date_order(
    agent_client, relation_usagers, agent
):
    values = [(day(2023), 30), (day(2021), 12.5), (day(2024, 6, 30), 48), (day(2022), 1200)]
    indicator = IndicatorFactory(slug="places", unit="places", values=values, targets=[(day(2027), 1500)])
    IndicatorValue.objects.filter(indicator=indicator, date=day(2021)).update(entered_by=agent)

    page = page_of(agent_client, "/indicateurs/places/")

    by_date = sorted(values)
    points = chart_points(page)
    assert len(points) == len(values)
    assert [x for x, _ in points] == sorted(x for x, _ in points)
    # One scale for every point: y falls as the value rises, by the same amount per unit.
    (x0, y0), (x1, y1) = points[0], points[1]
    per_unit = (y0 - y1) / (by_date[1][1] - by_date[0][1])
    assert per_unit > 0
    for (date, value), (x, y) in zip(by_date, points, strict=True):
        assert y == pytest.approx(y0 - per_unit * (value - by_date[0][1]), abs=0.2)
        days = (date - by_date[0][0]).days / (by_date[1][0] - by_date[0][0]).days
        assert x == pytest.approx(x0 + (x1 - x0) * days, abs=0.2)

    assert table_values(page) == [
        (day(2021), "12,5 places", "Camille Agent"),
        (day(2022), "1 200 places", "non renseigné"),
        (day(2023), "30 places", "non renseigné"),
        (day(2024, 6, 30), "48 places", "non renseigné"),
    ]


def test_the_chart_is_an_image_described_in_words_with_its_baseline_targets_and_french_ticks(
    agent_client, online_procedures
):
    page = page_of(agent_client, "/indicateurs/demarches-en-ligne/")
    svg = page.find("svg", role="img")

    title_id, description_id = svg["aria-labelledby"].split()
    assert text_of(svg.find(id=title_id)) == "Démarches faites en ligne"
    description = text_of(svg.find(id=description_id))
    assert "3 valeurs, de 20 % au 1er janvier 2022 à 45 % au 1er janvier 2024" in description
    assert "Valeur de référence : 10 % au 1er janvier 2019" in description
    assert "Cible : 60 % au 31 décembre 2026" in description
    assert svg.find("line", class_="chart-baseline") is not None
    assert len(svg.find_all("path", class_="chart-target")) == 1
    years = [text_of(tick) for tick in svg.find_all("text", class_="chart-tick--year")]
    assert years[0] == "2019" and years[-1] == "2027"
    assert [text_of(tick) for tick in svg.find_all("text", class_="chart-tick--value")] == [
        "0",
        "20",
        "40",
        "60",
    ]


def test_every_target_is_listed_and_marked_on_the_chart(agent_client):
    IndicatorFactory(slug="pistes", unit="km", values=yearly([3]), targets=[(day(2026), 10), (day(2030), 25)])

    page = page_of(agent_client, "/indicateurs/pistes/")

    assert "Toutes les cibles 10 km au 1er janvier 2026 25 km au 1er janvier 2030" in text_of(page)
    assert len(page.find("svg", role="img").find_all("path", class_="chart-target")) == 2


def test_value_ticks_are_written_in_french(agent_client):
    IndicatorFactory(
        slug="budget", unit="€", baseline_value=0.1, values=yearly([0.25]), targets=[(day(2030), 0.3)]
    )
    IndicatorFactory(
        slug="habitants", baseline_value=52000, values=yearly([52900]), targets=[(day(2030), 53000)]
    )

    def ticks(url):
        svg = page_of(agent_client, url).find("svg", role="img")
        return [tick.get_text() for tick in svg.find_all("text", class_="chart-tick--value")]

    assert ticks("/indicateurs/budget/") == ["0,1", "0,15", "0,2", "0,25", "0,3"]
    assert ticks("/indicateurs/habitants/") == [
        f"52{NARROW_NBSP}{hundreds}" for hundreds in ("000", "250", "500", "750")
    ] + [f"53{NARROW_NBSP}000"]


def test_the_indicator_page_says_what_it_measures_in_the_cops_words(
    agent_client, online_procedures, ambition, project
):
    hidden = ProjectPageFactory(parent=ambition, reference="16.9", title="Projet confidentiel")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.GROUPS)
    online_procedures.projects.add(hidden)
    online_procedures.save()

    page = text_of(page_of(agent_client, "/indicateurs/demarches-en-ligne/"))

    assert "Ambition n° 16 : Simplifier l'accès numérique aux services de la ville" in page
    assert "Projet 16.1 : Créer l'application de la ville" in page
    assert "Projet confidentiel" not in page
    for fact in [
        "Relation usagers",
        "Service de test",
        "À la hausse",
        "10 % au 1er janvier 2019",
        "tous les 12 mois",
    ]:
        assert fact in page


def test_a_referent_of_the_owning_service_is_offered_to_propose_a_value(agent_client, online_procedures):
    referent = UserFactory(username="referent")
    referent.groups.add(Group.objects.get(name=roles.REFERENTS))
    referent.services.add(online_procedures.service)

    proposal = "/indicateurs/demarches-en-ligne/proposer/"
    assert (
        page_of(client_for(referent), "/indicateurs/demarches-en-ligne/").find("a", href=proposal) is not None
    )
    assert page_of(agent_client, "/indicateurs/demarches-en-ligne/").find("a", href=proposal) is None


# --- The values' history ---------------------------------------------------------------------


def test_the_history_tells_each_published_version_newest_first(
    agent_client, online_procedures, moderator, agent
):
    publish_values(online_procedures, moderator)  # the first version, as the factory made it
    publish_values(
        online_procedures,
        moderator,
        values=[(day(2025), 52)],
        changed=[(day(2024), 46)],
        removed=[day(2022)],
        entered_by=agent,
    )

    page = page_of(agent_client, "/indicateurs/demarches-en-ligne/")
    entries = [text_of(entry) for entry in page.select(".history-list > li")]

    assert len(entries) == 2
    newest, first = entries
    assert "Nouvelle version publiée" in newest and "Publiée par Dominique Modératrice" in newest
    assert "Valeur ajoutée : 52 % au 1er janvier 2025, saisie par Camille Agent" in newest
    assert "Valeur modifiée : 45 % → 46 % au 1er janvier 2024, saisie par Camille Agent" in newest
    assert "Valeur retirée : 20 % au 1er janvier 2022" in newest
    assert "Première publication" in first and "Publiée par Dominique Modératrice" in first
    assert (
        "Valeurs ajoutées : 20 % au 1er janvier 2022 ; 35 % au 1er janvier 2023 ; 45 % au 1er janvier 2024"
        in first
    )


# --- Privacy: drafts, other COPs, hidden pages ------------------------------------------------


def visible_everywhere(client, indicator, ambition, project):
    """What the list, the indicator's page, its ambition's and its project's pages show, as text."""
    urls = ["/indicateurs/", f"/indicateurs/{indicator.slug}/", ambition.url, project.url]
    return " ".join(text_of(page_of(client, url)) for url in urls)


def test_a_draft_value_shows_nowhere(agent_client, online_procedures, ambition, project, moderator):
    draft = type(online_procedures).objects.get(pk=online_procedures.pk)
    draft.values.add(IndicatorValue(date=day(2025), value=987, entered_by=moderator))
    draft.save_revision(user=moderator)

    shown = visible_everywhere(agent_client, online_procedures, ambition, project)

    assert "987" not in shown
    assert "45 %" in shown


def test_a_value_proposed_by_a_referent_and_in_moderation_shows_nowhere(
    agent_client, online_procedures, ambition, project
):
    referent = UserFactory(username="referent")
    referent.groups.add(Group.objects.get(name=roles.REFERENTS))
    referent.services.add(online_procedures.service)
    submit_value_proposal(online_procedures, referent, day(2025), Decimal(987), "Chiffre du guichet.")
    pending = type(online_procedures).objects.get(pk=online_procedures.pk)
    assert pending.workflow_in_progress
    assert Decimal(987) in [value.value for value in pending.get_latest_revision_as_object().values.all()]

    assert "987" not in visible_everywhere(agent_client, online_procedures, ambition, project)


def test_ambition_and_project_pages_show_their_indicators_against_their_targets(
    agent_client, online_procedures, ambition, project
):
    for url in (ambition.url, project.url):
        summary = page_of(agent_client, url).find("section", class_="indicator-summary")
        row = text_of(summary.find("tbody").tr)
        assert "Démarches faites en ligne" in row
        assert "45 % au 1er janvier 2024" in row and "60 % au 31 décembre 2026" in row
        assert "En bonne voie" in row
        assert (
            summary.find("a", string="Démarches faites en ligne")["href"]
            == "/indicateurs/demarches-en-ligne/"
        )


def test_pages_without_indicators_show_no_indicator_section(agent_client, ambition, project):
    IndicatorFactory(name="Sans lien")
    for url in (ambition.url, project.url):
        assert page_of(agent_client, url).find("section", class_="indicator-summary") is None


def test_an_unpublished_or_unknown_indicator_answers_404(agent_client, online_procedures):
    IndicatorFactory(name="Brouillon", slug="brouillon", live=False)

    for url in ["/indicateurs/brouillon/", "/indicateurs/nulle-part/"]:
        response = agent_client.get(url)
        assert response.status_code == 404, url
        assert "Page introuvable" in response.content.decode()
    assert "Brouillon" not in text_of(page_of(agent_client, "/indicateurs/"))


def test_an_indicator_of_hidden_pages_only_answers_404(agent_client, online_procedures, axis):
    PageViewRestriction.objects.create(page=axis, restriction_type=PageViewRestriction.GROUPS)

    assert agent_client.get("/indicateurs/demarches-en-ligne/").status_code == 404
    assert "Démarches faites en ligne" not in text_of(page_of(agent_client, "/indicateurs/"))


@pytest.fixture
def archived_cop(relation_usagers):
    cop = make_cop("COP 2014–2020", "2014-2020", start_year=2014, end_year=2020, archived=True)
    ambition = AmbitionPageFactory(parent=AxisPageFactory(parent=cop, number=2), number=16, title="Pistes")
    IndicatorFactory(
        cop=cop,
        name="Kilomètres de pistes cyclables",
        slug="pistes",
        ambitions=[ambition],
        values=yearly([3, 8]),
    )
    return cop


def test_the_archived_cops_indicators_live_under_its_own_address(
    agent_client, online_procedures, archived_cop
):
    archived = text_of(page_of(agent_client, "/cops/2014-2020/indicateurs/"))
    assert "Kilomètres de pistes cyclables" in archived and "Démarches faites en ligne" not in archived
    assert "Démarches faites en ligne" in text_of(page_of(agent_client, "/indicateurs/"))
    assert "Kilomètres de pistes" not in text_of(page_of(agent_client, "/indicateurs/"))

    link = page_of(agent_client, "/cops/2014-2020/indicateurs/").select_one("tbody th a")["href"]
    assert link == "/cops/2014-2020/indicateurs/pistes/"
    assert "8 % au 1er janvier 2020" in text_of(page_of(agent_client, link))
    assert agent_client.get("/indicateurs/pistes/").status_code == 404
    assert agent_client.get("/cops/2014-2020/indicateurs/demarches-en-ligne/").status_code == 404


# --- Query counts ------------------------------------------------------------------------------


def indicators_with(count, values, service):
    return IndicatorFactory.create_batch(
        count, service=service, values=yearly(range(values), first_year=1960)
    )


def test_the_lists_queries_do_not_grow_with_values_or_indicators(
    agent_client, axis, relation_usagers, django_assert_max_num_queries
):
    url = "/indicateurs/?service=relation-usagers"
    indicators_with(2, values=3, service=relation_usagers)
    agent_client.get("/")  # the first visit reads the sites' root paths into the cache
    few = count_queries(agent_client, url)
    indicators_with(8, values=60, service=relation_usagers)
    with django_assert_max_num_queries(14):
        many = count_queries(agent_client, url)
    assert many == few


def test_the_indicator_pages_queries_do_not_grow_with_values_or_versions(
    agent_client, relation_usagers, moderator, django_assert_max_num_queries
):
    small = IndicatorFactory(slug="petit", values=yearly([1, 2]))
    publish_values(small, moderator, values=[(day(2030), 3)])
    large = IndicatorFactory(slug="grand", values=yearly(range(60), first_year=1960))
    for version in range(10):
        publish_values(large, moderator, values=[(day(2030 + version), version)])

    agent_client.get("/")  # the first visit reads the sites' root paths into the cache
    few = count_queries(agent_client, "/indicateurs/petit/")
    with django_assert_max_num_queries(16):
        many = count_queries(agent_client, "/indicateurs/grand/")
    assert many == few


def test_ambition_and_project_pages_cost_the_same_with_more_indicators(agent_client, ambition, project):
    IndicatorFactory(ambitions=[ambition], projects=[project], values=yearly([1, 2]))
    agent_client.get("/")  # the first visit reads the sites' root paths into the cache
    few = [count_queries(agent_client, url) for url in (ambition.url, project.url)]
    IndicatorFactory.create_batch(
        5, ambitions=[ambition], projects=[project], values=yearly(range(40), first_year=1980)
    )
    assert [count_queries(agent_client, url) for url in (ambition.url, project.url)] == few


# --- The page cache -------------------------------------------------------------------------------


def test_a_published_value_renews_the_cached_ambition_and_project_pages(
    page_cache, agent_client, online_procedures, ambition, project, moderator
):
    urls = [ambition.url, project.url, "/indicateurs/", "/indicateurs/demarches-en-ligne/"]
    for url in urls:
        for _ in range(2):  # the second visit is kept whole in the cache
            assert "45 %" in text_of(page_of(agent_client, url))

    publish_values(online_procedures, moderator, values=[(day(2025), 58)])

    for url in urls:
        assert "58 % au 1er janvier 2025" in text_of(page_of(agent_client, url)), url


def test_a_new_draft_value_leaves_the_cached_pages_as_published(
    page_cache, agent_client, online_procedures, ambition
):
    for _ in range(2):
        page_of(agent_client, ambition.url)
    draft = type(online_procedures).objects.get(pk=online_procedures.pk)
    draft.values.add(IndicatorValue(date=day(2025), value=987))
    draft.save_revision()

    shown = text_of(page_of(agent_client, ambition.url))
    assert "987" not in shown and "45 % au 1er janvier 2024" in shown
