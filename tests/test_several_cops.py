"""Several COPs on one install (issue 17): each answers at its own URLs, in its own words, and never
shows the other's content; an archived COP is read, never changed."""

import datetime

from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from wagtail.models import Page, Site

import pytest

from axes.models import AmbitionPage, AxisPage, HomePage, ProjectPage
from axes.readers import Reader
from digests.digest import send_due_digest
from digests.models import Scope, Subscription
from editorial import roles
from spreadsheets.exporter import export_file
from spreadsheets.importer import Outcome, apply_import, plan_import

from .clients import client_for
from .factories import AmbitionPageFactory, AxisPageFactory, ProjectPageFactory, UserFactory
from .test_reading import add_ambitions, count_queries, services_named

pytestmark = pytest.mark.django_db

OTHER_WORDS = {
    "axis_singular": "orientation",
    "axis_plural": "orientations",
    "axis_feminine": True,
    "ambition_singular": "objectif",
    "ambition_plural": "objectifs",
    "ambition_feminine": False,
    "ambition_numbering": "n° ",
    "project_singular": "fiche action",
    "project_plural": "fiches action",
    "project_feminine": True,
    "status_engage": "En cours",
}


def make_cop(title, slug, **fields):
    cop = HomePage(title=title, slug=slug, **fields)
    Page.get_first_root_node().add_child(instance=cop)
    cop.save_revision().publish()
    return cop


@pytest.fixture
def other_cop(relation_usagers):
    """An archived COP in other words, whose project reuses the reference 16.1 of the current COP's."""
    cop = make_cop("COP 2014–2020", "2014-2020", start_year=2014, end_year=2020, archived=True, **OTHER_WORDS)
    axis = AxisPageFactory(parent=cop, number=2, title="Une ville qui se déplace autrement")
    ambition = AmbitionPageFactory(parent=axis, number=16, title="Développer les pistes cyclables")
    ProjectPageFactory(
        parent=ambition,
        reference="16.1",
        title="Tracer la piste du boulevard des Frères Vigouroux",
        summary="Une piste cyclable protégée.",
        pilot_service=relation_usagers,
        status="engage",
    )
    return cop


@pytest.fixture
def cops(project, other_cop):
    return project, other_cop.get_descendants().type(AxisPage).first().specific


def test_each_cop_answers_at_its_own_urls_in_its_own_words(agent_client, cops):
    project, other_axis = cops
    current = agent_client.get(project.get_parent().get_parent().url).content.decode()
    assert "Ambition n° 16" in current and "Objectif" not in current

    assert other_axis.url.startswith("/cops/2014-2020/")
    other = agent_client.get(other_axis.url).content.decode()
    assert "Orientation 2" in other and "Objectif n° 16" in other
    assert "Axe 2" not in other
    other_project_url = ProjectPage.objects.descendant_of(other_axis).get().url
    other_project = agent_client.get(other_project_url).content.decode()
    assert "Fiche action 16.1" in other_project
    assert "En cours" in other_project

    service = agent_client.get("/cops/2014-2020/services/relation-usagers/").content.decode()
    assert "ses fiches action dans toutes les orientations" in service
    assert "1\u00a0fiche action publiée, dont 1 en pilote" in service


def test_a_reference_repeats_across_cops_and_each_short_link_finds_its_own(agent_client, cops):
    project, _ = cops
    assert agent_client.get("/projets/16.1/")["Location"] == project.url
    other = agent_client.get("/cops/2014-2020/projets/16.1/")["Location"]
    assert other.startswith("/cops/2014-2020/") and other.endswith(
        "tracer-la-piste-du-boulevard-des-freres-vigouroux/"
    )


def test_a_reference_does_not_repeat_within_a_cop(cops):
    project, _ = cops
    editor = UserFactory(username="editeur")
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    ambition = project.get_parent()
    answer = client_for(editor).post(
        f"/admin/pages/add/axes/projectpage/{ambition.pk}/",
        {
            "title": "Doublon",
            "slug": "doublon",
            "reference": "16.1",
            "summary": "Un doublon.",
            "status": "engage",
        },
    )
    assert answer.status_code == 200
    assert "Un autre projet du COP porte déjà cette référence." in answer.content.decode()


def test_search_exports_and_journal_of_one_cop_never_show_the_others(agent_client, cops):
    project, _ = cops
    other_title = "Frères Vigouroux"
    for url in ["/recherche/?q=piste", "/export/projets.csv", "/evolutions/", "/services/relation-usagers/"]:
        body = agent_client.get(url).content.decode("utf-8-sig")
        assert other_title not in body, url
    for url in [
        "/recherche/?q=application",
        "/cops/2014-2020/export/projets.csv",
        "/cops/2014-2020/evolutions/",
    ]:
        body = agent_client.get(url).content.decode("utf-8-sig")
        assert project.title not in body, url
    assert other_title in agent_client.get("/cops/2014-2020/recherche/?q=piste").content.decode()
    assert other_title in agent_client.get("/cops/2014-2020/export/projets.csv").content.decode("utf-8-sig")


def test_an_archived_cop_says_so_on_every_page_with_a_link_to_the_current_one(agent_client, cops):
    _, other_axis = cops
    for url in [
        other_axis.url,
        "/cops/2014-2020/",
        "/cops/2014-2020/services/",
        "/cops/2014-2020/evolutions/",
    ]:
        body = agent_client.get(url).content.decode()
        assert "COP archivé (2014–2020)" in body, url
        assert '<a href="/">Voir le COP en cours</a>' in body, url
    assert "COP archivé" not in agent_client.get("/").content.decode()
    assert "/cops/2014-2020/" in agent_client.get("/").content.decode()


def test_an_archived_cop_refuses_edits_and_proposals_in_french(cops, relation_usagers):
    _, other_axis = cops
    other_project = other_axis.get_descendants().live().last().specific
    editor = UserFactory(username="editeur")
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    answer = client_for(editor).get(f"/admin/pages/{other_project.pk}/edit/", follow=True)
    assert "COP archivé (2014–2020) : ce COP ne se modifie plus." in answer.content.decode().replace(
        "\xa0", " "
    )
    referent = UserFactory(username="referent")
    referent.groups.add(Group.objects.get(name=roles.REFERENTS))
    relation_usagers.agents.add(referent)
    refused = client_for(referent).get("/cops/2014-2020/projets/16.1/proposer/")
    assert refused.status_code == 403
    assert "ce COP ne se modifie plus" in refused.content.decode()


def test_the_current_cop_answers_at_its_own_urls_only(agent_client, cops, home):
    assert agent_client.get(f"/cops/{home.slug}/services/")["Location"] == "/services/"
    assert agent_client.get("/cops/inconnu/services/").status_code == 404


def test_an_administrator_makes_another_cop_current(agent_client, cops):
    project, other_axis = cops
    site = Site.objects.get(is_default_site=True)
    site.root_page = other_axis.get_parent()
    site.save()
    body = agent_client.get("/").content.decode()
    assert "Orientation 2" in body
    assert agent_client.get("/projets/16.1/")["Location"].endswith(
        "tracer-la-piste-du-boulevard-des-freres-vigouroux/"
    )
    assert agent_client.get(project.url).status_code == 200
    assert project.url.startswith("/cops/")


def test_the_archived_cops_booklet_and_search_facets_use_its_words(agent_client, cops, settings, tmp_path):
    from django_tasks import task_backends

    from printing import tasks

    from .test_printing import current_pdf, pdf_of, text_of

    settings.COP_PDF_CACHE_DIR = tmp_path / "pdf"
    queue = task_backends[tasks.BACKEND]
    queue.clear()
    text = text_of(pdf_of(current_pdf(agent_client, "/cops/2014-2020/export/cop.pdf", queue)))
    assert "orientation2" in text and "objectifn°16" in text and "ficheaction" in text
    assert "encours" in text and "axe2" not in text

    results = agent_client.get("/cops/2014-2020/recherche/?q=piste").content.decode()
    assert "Orientation" in results and "En cours" in results
    assert "Fiche action" in results or "fiche action" in results


def test_an_archived_current_cop_refuses_imports_in_french(admin_client, home):
    home.archived, home.start_year, home.end_year = True, 2020, 2026
    home.save_revision().publish()
    answer = admin_client.get("/admin/importer/", follow=True)
    assert "COP archivé (2020–2026) : ce COP ne se modifie plus." in answer.content.decode()


def test_the_archived_cops_are_searched_by_choice_only(agent_client, cops):
    alone = agent_client.get("/recherche/?q=piste").content.decode()
    assert "Frères Vigouroux" not in alone
    assert "Chercher aussi dans les COP archivés" in alone
    with_archives = agent_client.get("/recherche/?q=piste&archives=1").content.decode()
    assert "Frères Vigouroux" in with_archives
    assert "/cops/2014-2020/" in with_archives


def warm_count(client, url):
    """The queries of a second visit: the first one notes a new search, once."""
    count_queries(client, url)
    return count_queries(client, url)[0]


def test_query_counts_per_page_type_are_the_same_with_two_cops_as_with_one(agent_client, agent, home):
    """Each page type of each COP makes as many queries with a second, fuller COP beside it."""
    services = services_named(range(4))
    axes = [AxisPageFactory(parent=home, number=number) for number in (1, 2)]
    ambition = add_ambitions(axes, services, ambitions=2, projects_per_ambition=2, first_number=100)
    project = ProjectPage.objects.child_of(ambition).first()
    agent.services.add(*services[:2])
    urls = {
        "accueil": "/",
        "axe": axes[0].url,
        "ambition": ambition.url,
        "projet": project.url,
        "services": "/services/",
        "service": "/services/service-1/",
        "partenariats": "/partenariats/",
        "recherche": "/recherche/?q=projet",
        "évolutions": "/evolutions/",
    }
    one_cop = {name: warm_count(agent_client, url) for name, url in urls.items()}

    other = make_cop(
        "COP 2014–2020", "2014-2020", start_year=2014, end_year=2020, archived=True, **OTHER_WORDS
    )
    other_axes = [AxisPageFactory(parent=other, number=number) for number in (1, 2, 3)]
    add_ambitions(other_axes, services, ambitions=6, projects_per_ambition=3, first_number=100)
    two_cops = {name: warm_count(agent_client, url) for name, url in urls.items()}
    assert two_cops == one_cop

    other_ambition = AmbitionPage.objects.descendant_of(other).order_by("number").first()
    other_urls = {
        "accueil": other.url,
        "axe": other_axes[0].url,
        "ambition": other_ambition.url,
        "projet": ProjectPage.objects.child_of(other_ambition).first().url,
        "services": "/cops/2014-2020/services/",
        "service": "/cops/2014-2020/services/service-1/",
        "partenariats": "/cops/2014-2020/partenariats/",
        "recherche": "/cops/2014-2020/recherche/?q=projet",
        "évolutions": "/cops/2014-2020/evolutions/",
    }
    in_the_other = {name: warm_count(agent_client, url) for name, url in other_urls.items()}
    assert all(in_the_other[name] <= one_cop[name] + 1 for name in urls), (in_the_other, one_cop)


def test_an_import_reads_and_writes_the_current_cop_only(cops):
    """The archived COP has a project 16.1 in an axis 2 and an ambition 16 too: the import never
    touches it."""
    project, other_axis = cops
    header = "ref;axe;ambition;titre;statut;service_pilote\n"
    row = "16.1;2;16;Créer l'application mobile de la ville;Engagé;Relation usagers\n"
    plan = plan_import("projets.csv", (header + row).encode())
    assert plan.is_valid, [str(problem) for problem in plan.problems]
    apply_import(plan)
    project.refresh_from_db()
    assert project.title == "Créer l'application mobile de la ville"
    other_project = ProjectPage.objects.descendant_of(other_axis).get()
    assert other_project.title == "Tracer la piste du boulevard des Frères Vigouroux"


def test_an_import_carries_projects_over_from_an_earlier_cop(cops):
    """The 'Suite de' column links each new project to the one it continues, by reference in the
    COP before the current one, or named by its COP's slug; an unknown one refuses the file."""
    project, other_axis = cops
    other_project = ProjectPage.objects.descendant_of(other_axis).get()
    header = "ref;axe;ambition;titre;resume;statut;service_pilote;suite_de\n"
    rows = [
        "16.5;2;16;Prolonger la piste cyclable;La suite.;Engagé;Relation usagers;16.1\n",
        "16.6;2;16;Relier les pistes;Les relier.;En projet;Relation usagers;2014-2020 16.1\n",
    ]
    plan = plan_import("projets.csv", (header + "".join(rows)).encode())
    assert plan.is_valid, [str(problem) for problem in plan.problems]
    apply_import(plan)
    carried = ProjectPage.objects.filter(reference__in=["16.5", "16.6"], path__startswith=project.path[:8])
    assert {page.continues_id for page in carried} == {other_project.pk}

    exported = export_file("csv").decode("utf-8-sig")
    assert "2014-2020 16.1" in exported
    assert plan_import("projets.csv", exported.encode()).counts() == {Outcome.UNCHANGED: 3}

    unknown = "16.7;2;16;Inconnu;Un inconnu.;Engagé;Relation usagers;9.9\n"
    bad = plan_import("projets.csv", (header + unknown).encode())
    [problem] = bad.problems
    assert "aucun projet de référence 9.9 dans le COP précédent" in str(problem)


def test_the_search_understands_and_answers_in_each_cops_words(agent_client, cops):
    body = agent_client.get("/cops/2014-2020/recherche/?q=objectif+16").content.decode()
    assert "Développer les pistes cyclables" in body
    refused = agent_client.get("/cops/2014-2020/recherche/?axe=x").content.decode()
    assert "L’orientation « x » n&#x27;existe pas : ce filtre est ignoré." in refused


def test_an_import_speaks_the_words_of_the_cop_it_writes_to(cops):
    _, other_axis = cops
    other = other_axis.get_parent().specific
    other.archived = False
    other.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    site.root_page = other
    site.save()
    header = "ref;axe;ambition;titre;resume;statut;service_pilote\n"
    unknown = "40.1;2;40;Nouvelle;Une nouvelle.;Engagé;Relation usagers\n"
    [problem] = plan_import("projets.csv", (header + unknown).encode()).problems
    assert "cet objectif n'existe pas encore" in str(problem)
    plan = plan_import(
        "projets.csv", (header + "16.2;2;16;Une autre;Une autre.;Engagé;Relation usagers\n").encode()
    )
    assert plan.summary_lines()[:2] == [
        "Fiches action : 1\xa0créée, 0\xa0modifiée, 0\xa0inchangée.",
        "  Orientation 2 : 1\xa0créée, 0\xa0modifiée, 0\xa0inchangée.",
    ]


def test_a_digest_of_another_cops_axis_reads_that_cop_in_its_words(agent, cops):
    _, other_axis = cops
    agent.email = "agent@ville.fr"
    agent.save()
    other_project = ProjectPage.objects.descendant_of(other_axis).get()
    other_project.save_revision().publish()
    Subscription.objects.create(
        user=agent,
        scope=Scope.AXIS,
        axis=other_axis,
        covered_until=timezone.now() - datetime.timedelta(days=8),
    )
    digest = send_due_digest(agent.pk, timezone.now() + datetime.timedelta(minutes=5))
    assert digest.count == 1
    [message] = mail.outbox
    assert "Fiche action 16.1" in message.body and "Frères Vigouroux" in message.body
    assert "http://testserver/cops/2014-2020/une-ville-qui-se-deplace-autrement/" in message.body


def test_the_journal_of_another_cop_tells_status_changes_in_its_words(agent_client, cops):
    _, other_axis = cops
    other_project = ProjectPage.objects.descendant_of(other_axis).get()
    other_project.save_revision().publish()
    other_project.status = "realise"
    other_project.save_revision().publish()
    journal = agent_client.get("/cops/2014-2020/evolutions/").content.decode()
    assert "En cours → Réalisé" in journal


def test_an_administrator_chooses_the_current_cop_among_the_cops_only(agent_client, cops, home):
    project, other_axis = cops
    admin_client = client_for(UserFactory(username="admin", is_staff=True, is_superuser=True))
    other = other_axis.get_parent()
    screen = admin_client.get("/admin/cop/cop-en-cours/").content.decode()
    assert "COP 2014–2020 (2014–2020) – archivé" in screen
    refused = admin_client.post("/admin/cop/cop-en-cours/", {"cop": other_axis.pk})
    assert "Choisissez l&#x27;un des COP de la liste." in refused.content.decode()
    answer = admin_client.post("/admin/cop/cop-en-cours/", {"cop": other.pk}, follow=True)
    assert "Le COP en cours est désormais « COP 2014–2020 »" in answer.content.decode()
    assert "Orientation 2" in agent_client.get("/").content.decode()
    assert project.get_parent().specific.url.startswith(f"/cops/{home.slug}/")
    assert agent_client.get(f"/cops/{home.slug}/services/").status_code == 200


def test_only_administrators_choose_the_current_cop(client, cops):
    editor = UserFactory(username="editeur")
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    assert client_for(editor).get("/admin/cop/cop-en-cours/").status_code in (302, 403)


def project_axis(cops):
    project, _ = cops
    return project.get_parent().get_parent()


def test_the_admin_lists_each_cops_pages_with_its_words(cops):
    _, other_axis = cops
    admin_client = client_for(UserFactory(username="admin", is_staff=True, is_superuser=True))
    listing = admin_client.get(f"/admin/pages/{other_axis.get_parent().pk}/").content.decode()
    assert "Orientation 2 · Une ville qui se déplace autrement" in listing
    # The ambitions' titles read "16 · …": "Objectif" is their type's column.
    ambitions = admin_client.get(f"/admin/pages/{other_axis.pk}/").content.decode()
    assert "Objectif" in ambitions
    assert "Objectif" not in admin_client.get(f"/admin/pages/{project_axis(cops).pk}/").content.decode()


def test_a_page_does_not_move_to_another_cop(cops):
    project, other_axis = cops
    other_ambition = AmbitionPage.objects.child_of(other_axis).get()
    admin_client = client_for(UserFactory(username="admin", is_staff=True, is_superuser=True))
    answer = admin_client.post(f"/admin/pages/{project.pk}/move/{other_ambition.pk}/confirm/", follow=True)
    assert "Une page ne change pas de COP" in answer.content.decode()
    project.refresh_from_db()
    assert project.get_parent().pk != other_ambition.pk


def test_an_administrator_creates_a_third_cop_in_its_own_words_from_the_admin(cops, home):
    admin_client = client_for(UserFactory(username="admin", is_staff=True, is_superuser=True))
    words = {
        "axis_singular": "priorité",
        "axis_plural": "priorités",
        "axis_feminine": "on",
        "axis_numbering": "",
        "ambition_singular": "engagement",
        "ambition_plural": "engagements",
        "ambition_numbering": "n° ",
        "project_singular": "fiche action",
        "project_plural": "fiches action",
        "project_feminine": "on",
        "project_numbering": "",
    }
    answer = admin_client.post(
        f"/admin/pages/add/axes/homepage/{Page.get_first_root_node().pk}/",
        {"title": "COP de la commune associée", "slug": "commune-associee", "action-publish": "1", **words},
        follow=True,
    )
    assert answer.status_code == 200
    third = HomePage.objects.get(slug="commune-associee")
    assert (
        third.live
        and third.terms.axis.named(1) == "Priorité 1"
        and third.terms.ambition.named(3) == "Engagement n° 3"
    )
    axis = AxisPageFactory(parent=third, number=1, title="Vivre ensemble")
    editor = UserFactory(username="editeur")
    editor.groups.add(Group.objects.get(name=roles.EDITORS))
    assert client_for(editor).get(f"/admin/pages/{axis.pk}/edit/").status_code == 200


def test_with_no_current_cop_a_reader_reads_no_cop(agent_client, cops):
    """A site whose root is no COP (Wagtail's Sites screen allows it) shows no COP's pages at all,
    rather than all of them."""
    site = Site.objects.get(is_default_site=True)
    site.root_page = Page.get_first_root_node()
    site.save()
    reader = Reader.of()
    assert reader.scope == ""
    assert not reader.pages(ProjectPage.objects.all()).exists()
    assert not reader.sees(ProjectPage.objects.live().first())
    searched = agent_client.get("/recherche/?q=piste&archives=1")
    assert searched.status_code == 200 and "Frères Vigouroux" not in searched.content.decode()
