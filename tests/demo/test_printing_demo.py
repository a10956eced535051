"""The demo COP in print: two-page chapters with their indicators, the whole booklet, the poster,
and the two-page rule."""

import io
import re

from django.contrib.auth.models import Group
from django.test import override_settings
from django.urls import reverse

from wagtail.test.utils.form_data import querydict_from_html, rich_text

import pypdf
import pytest
from django_tasks import task_backends

from axes.models import AmbitionPage, AxisPage, ProjectPage
from axes.readers import Reader
from editorial import roles
from indicators.models import Indicator
from printing import documents, tasks

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("pdf")


@pytest.fixture(autouse=True)
def pdf_cache(settings, pdf_dir):
    settings.COP_PDF_CACHE_DIR = pdf_dir


@pytest.fixture(scope="module")
def booklet(demo_cop, django_db_blocker, pdf_dir):
    """The demo COP's booklet, rendered once for the module (and left in the cache for agents)."""
    with django_db_blocker.unblock(), override_settings(COP_PDF_CACHE_DIR=pdf_dir):
        return pypdf.PdfReader(documents.booklet().cached_path())


def folded(text):
    return re.sub(r"[\s\-\u2010\u00ad]", "", text).lower()


def pages_of(response):
    assert response.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    return [folded(page.extract_text()) for page in reader.pages]


def member_of(group_name, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def indicators_of(axis, reader):
    return Indicator.objects.readable_by(reader).filter(
        pk__in=Indicator.objects.filter(ambitions__path__startswith=axis.path).values("pk")
    )


def test_every_chapter_fits_on_two_pages_with_every_ambition_project_and_indicator(
    demo_cop, agent, agent_client
):
    printed_indicators = 0
    for axis in AxisPage.objects.descendant_of(demo_cop).live().order_by("number"):
        pages = pages_of(agent_client.get(f"{axis.url}chapitre.pdf"))
        assert len(pages) <= 2, f"{axis.label} s'imprime sur {len(pages)} pages"
        text = "".join(pages)
        for ambition in AmbitionPage.objects.child_of(axis).live():
            assert folded(f"Ambition n° {ambition.number} {ambition.title}") in text
        for project in ProjectPage.objects.descendant_of(axis).live():
            assert folded(project.title) in text, project.reference
        for indicator in indicators_of(axis, Reader.of(agent, demo_cop)):
            assert folded(indicator.name) in text, indicator.slug
            printed_indicators += 1
    assert printed_indicators == Indicator.objects.filter(cop=demo_cop).count() == 5


def test_the_current_cops_chapters_fit_on_two_pages_with_their_objectifs_indicators(
    demo_as_loaded, agent, agent_client
):
    _, new_cop = demo_as_loaded
    printed_indicators = set()
    for axis in AxisPage.objects.child_of(new_cop).live().order_by("number"):
        pages = pages_of(agent_client.get(f"{axis.url}chapitre.pdf"))
        assert len(pages) <= 2, f"{axis.label} s'imprime sur {len(pages)} pages"
        text = "".join(pages)
        assert folded("Indicateurs Dernière valeur Cible Situation") in text
        for indicator in indicators_of(axis, Reader.of(agent, new_cop)):
            assert folded(indicator.name) in text, indicator.slug
            printed_indicators.add(indicator.pk)
    assert len(printed_indicators) == Indicator.objects.filter(cop=new_cop).count() >= 38


def test_the_booklet_has_all_50_ambitions_and_all_published_projects(demo_cop, booklet):
    text = "".join(folded(page.extract_text()) for page in booklet.pages)
    ambitions = AmbitionPage.objects.descendant_of(demo_cop).live()
    assert ambitions.count() == 50
    for ambition in ambitions:
        assert folded(f"Ambition n° {ambition.number} {ambition.title}") in text
    projects = ProjectPage.objects.descendant_of(demo_cop).live()
    assert projects.count() == 250
    missing = [project.reference for project in projects if folded(project.title) not in text]
    assert not missing
    # Cover and contents, five chapters of at most two pages, then the services' index.
    assert 2 + 5 <= len(booklet.pages) <= 2 + 10 + 8


def test_the_contents_give_the_page_where_each_ambition_starts(demo_cop, booklet):
    pages = [folded(page.extract_text()) for page in booklet.pages]
    contents = pages[1]
    for ambition in AmbitionPage.objects.descendant_of(demo_cop).live():
        line = re.search(re.escape(folded(f"n° {ambition.number} {ambition.title}")) + r"\.*(\d+)", contents)
        assert line, ambition.number
        page = int(line.group(1))
        assert folded(f"Ambition n° {ambition.number} {ambition.title}") in pages[page - 1], ambition.number
    assert folded(f"Page {len(pages)}") in pages[-1]


def test_the_poster_fits_one_a3_page_with_the_50_ambitions(demo_cop, agent_client):
    pages = pages_of(agent_client.get(reverse("poster_pdf")))
    assert len(pages) == 1
    for ambition in AmbitionPage.objects.descendant_of(demo_cop).live():
        assert folded(ambition.title) in pages[0], ambition.number


def test_draft_text_shows_in_no_pdf(demo_cop, agent_client):
    project = ProjectPage.objects.descendant_of(demo_cop).get(reference="16.1")
    project.title = "Version brouillon xylophagique"
    project.save_revision()
    axis = AxisPage.objects.descendant_of(demo_cop).get(number=2)
    for url in (f"{axis.url}chapitre.pdf", reverse("service_pdf", args=[project.pilot_service.slug])):
        text = "".join(pages_of(agent_client.get(url)))
        assert "xylophagique" not in text, url
        assert folded(ProjectPage.objects.descendant_of(demo_cop).get(pk=project.pk).title) in text, url


def run_queued_tasks(queue):
    """What the PDF worker does: runs each queued task (the test settings' queue runs none)."""
    while queue.results:
        result = queue.results.pop(0)
        result.task.call(*result.args, **result.kwargs)


def test_an_agent_downloads_the_booklet_and_poster_and_editors_see_a_lengthened_chapter_flagged(
    demo_cop, booklet, client, django_capture_on_commit_callbacks
):
    client.force_login(member_of(roles.AGENTS, "nouvel-agent"))
    assert pages_of(client.get(reverse("booklet_pdf")))
    assert len(pages_of(client.get(reverse("poster_pdf")))) == 1

    queue = task_backends[tasks.BACKEND]
    queue.clear()
    editor = member_of(roles.EDITORS, "nouvel-editeur")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("chapter_length_report"))
    run_queued_tasks(queue)
    report = client.get(reverse("chapter_length_report")).content.decode()
    assert report.count("Tient sur deux pages") == 5

    axis = AxisPage.objects.descendant_of(demo_cop).get(number=2)
    edit_url = reverse("wagtailadmin_pages:edit", args=(axis.pk,))
    data = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
    data["intro"] = rich_text("<p>" + "Un paragraphe de plus sur le numérique à Clamart. " * 150 + "</p>")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit_url, data, follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert any(message.startswith("Longueur imprimée de ce chapitre en cours de calcul") for message in shown)

    run_queued_tasks(queue)
    shown = [str(message).replace("\u00a0", " ") for message in client.get(edit_url).context["messages"]]
    assert any(
        message.startswith("Ce chapitre tient sur 3 pages imprimées : deux au plus") for message in shown
    )
    report = client.get(reverse("chapter_length_report")).content.decode().replace("\u00a0", " ")
    assert report.count("Tient sur deux pages") == 4
    assert "Trop long : 3 pages, deux au plus" in report
    # The lengthened intro is a draft: agents still read the published two pages.
    client.force_login(member_of(roles.AGENTS, "autre-agent"))
    assert len(pages_of(client.get(f"{axis.url}chapitre.pdf"))) == 2
