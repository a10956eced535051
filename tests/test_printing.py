"""The COP as PDFs (issue 7): rendered by WeasyPrint from the site's templates, private, cached
until a publication changes them, and the two-page rule shown where editors work. Rebuilt in the
background after each publication, the last complete file served meanwhile (issue 13)."""

import datetime
import io
import re
import signal
import threading
from contextlib import contextmanager

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import querydict_from_html, rich_text

import pypdf
import pytest
import weasyprint
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.models import DBTaskResult
from weasyprint.urls import FatalURLFetchingError

from axes.models import AxisPage, ProjectPage
from axes.readers import Reader
from editorial import roles
from indicators.models import Direction, IndicatorValue
from printing import booklet, content, documents, lengths, pdf, tasks
from printing.pdf import StaticFilesFetcher

from .factories import (
    AmbitionPageFactory,
    AxisPageFactory,
    IndicatorFactory,
    ProjectPageFactory,
    ServiceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

A4_POINTS = (595, 842)
A3_POINTS = (842, 1191)


@pytest.fixture(autouse=True)
def pdf_cache(settings, tmp_path):
    settings.COP_PDF_CACHE_DIR = tmp_path / "pdf"
    return settings.COP_PDF_CACHE_DIR


@pytest.fixture(autouse=True)
def pdf_queue():
    """The PDF builds that the test queues: the test settings' dummy backend records them, runs none."""
    queue = task_backends[tasks.BACKEND]
    queue.clear()
    return queue


def run_queued_tasks(queue):
    """What the worker does: runs each queued task, and those that they queue."""
    while queue.results:
        result = queue.results.pop(0)
        result.task.call(*result.args, **result.kwargs)


def queued_calls(queue):
    return [(result.task.name, *result.args) for result in queue.results]


def current_pdf(client, url, queue):
    """The PDF once the worker has written its current version."""
    client.get(url)
    run_queued_tasks(queue)
    return client.get(url)


def pdf_of(response):
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/pdf"
    return pypdf.PdfReader(io.BytesIO(b"".join(response.streaming_content)))


def folded(text):
    """Text as compared in PDFs: lines, hyphenation and non-breaking spaces do not count."""
    return re.sub(r"[\s\-\u2010\u00ad]", "", text).lower()


def page_in_contents(contents, title):
    """The page number that the contents give for `title` (after its dotted leader)."""
    return int(re.search(re.escape(folded(title)) + r"\.*(\d+)", contents).group(1))


def text_of(reader):
    return folded("".join(page.extract_text() for page in reader.pages))


def page_size(page):
    return round(float(page.mediabox.width)), round(float(page.mediabox.height))


def member_of(group_name, username):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def chapter_url(axis):
    return f"{axis.url}chapitre.pdf"


@pytest.fixture
def sports(ambition):
    return ServiceFactory(name="Sports", slug="sports", direction="Direction des sports")


@pytest.fixture
def sports_project(ambition, sports, relation_usagers):
    return ProjectPageFactory(
        parent=ambition,
        reference="16.2",
        title="Ouvrir les gymnases le dimanche",
        pilot_service=sports,
        services=[relation_usagers],
    )


def save_draft(page, **changes):
    """A new revision of `page`, not published: what an editor's "Enregistrer le brouillon" makes."""
    for name, value in changes.items():
        setattr(page, name, value)
    return page.save_revision()


def publish(page, **changes):
    save_draft(page, **changes).publish()


# --- Private by default ----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in_for_every_pdf(client, chapter_url, project, relation_usagers):
    for url in (
        "/export/cop.pdf",
        "/export/affiche.pdf",
        chapter_url,
        "/services/relation-usagers/fiche.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_pdfs_open_to_anonymous_visitors_when_the_cop_is_public(client, settings, chapter_url, project):
    settings.COP_PUBLIC = True
    assert client.get(chapter_url).status_code == 200


# --- What the PDFs show ----------------------------------------------------------------------


def test_agent_downloads_a_chapter_with_its_ambitions_and_projects(agent_client, chapter_url, project):
    response = agent_client.get(chapter_url)
    assert response["Content-Disposition"] == 'inline; filename="cop-axe-2.pdf"'
    reader = pdf_of(response)
    text = text_of(reader)
    assert len(reader.pages) == 1
    assert page_size(reader.pages[0]) == A4_POINTS
    assert folded("Axe 2 · Accompagner la transition numérique") in text  # the running header
    assert folded("Ambition n° 16 Simplifier l'accès numérique aux services de la ville") in text
    assert folded("16.1") in text and folded("Créer l'application de la ville") in text
    assert folded("Relation usagers") in text and folded("Éducation") in text
    assert folded("Page 1 / 1") in text


def test_a_chapter_is_only_under_an_axis(agent_client, ambition, project):
    assert agent_client.get(f"{ambition.url}chapitre.pdf").status_code == 404
    assert agent_client.get("/axe-inconnu/chapitre.pdf").status_code == 404


def test_a_service_extract_lists_its_projects_as_pilot_and_as_partner(
    agent_client, project, sports_project, relation_usagers
):
    response = agent_client.get(reverse("service_pdf", args=["relation-usagers"]))
    assert response["Content-Disposition"] == 'inline; filename="cop-service-relation-usagers.pdf"'
    text = text_of(pdf_of(response))
    assert folded("Fiche du service") in text and folded("Relation usagers") in text
    assert folded("Pilote 16.1 Créer l'application de la ville") in text
    assert folded("Partenaire 16.2 Ouvrir les gymnases le dimanche") in text
    assert folded("piloté par Sports") in text
    assert agent_client.get(reverse("service_pdf", args=["inconnu"])).status_code == 404


def test_the_booklet_has_a_cover_contents_with_page_numbers_chapters_and_a_services_index(
    agent_client, home, project, sports_project
):
    other_axis = AxisPageFactory(parent=home, number=4, title="Conduire une transition écologique")
    other_ambition = AmbitionPageFactory(
        parent=other_axis, number=31, title="Développer les mobilités douces"
    )
    ProjectPageFactory(parent=other_ambition, reference="31.1", title="Des pistes cyclables continues")
    reader = pdf_of(agent_client.get(reverse("booklet_pdf")))
    pages = [folded(page.extract_text()) for page in reader.pages]
    cover, contents = pages[0], pages[1]
    assert folded("Cahier d'objectifs partagés") in cover and folded("3 projets") in cover
    # Cover, contents, one page per chapter here, then the index: the contents say so.
    assert page_in_contents(contents, "Axe 2 · Accompagner la transition numérique") == 3
    assert page_in_contents(contents, "n° 31 Développer les mobilités douces") == 4
    assert folded("Développer les mobilités douces") in pages[3]
    assert page_in_contents(contents, "Index des services") == 5
    assert folded("Index des services") in pages[4]
    assert folded("Sports · Direction des sports") in pages[4]
    assert folded("16.2 Ouvrir les gymnases le dimanche") in pages[4]
    assert len(reader.pages) == 5


def test_every_page_of_the_booklet_but_its_cover_reads_page_n_of_m(
    agent_client, home, project, sports_project
):
    other_axis = AxisPageFactory(parent=home, number=4, title="Conduire une transition écologique")
    ProjectPageFactory(parent=AmbitionPageFactory(parent=other_axis, number=31), reference="31.1")
    reader = pdf_of(agent_client.get(reverse("booklet_pdf")))
    pages = [folded(page.extract_text()) for page in reader.pages]
    assert len(pages) == 5
    assert folded("Page") not in pages[0], "the cover has no footer"
    for number, text in enumerate(pages[1:], start=2):
        assert text.endswith(folded(f"Page {number} / 5")), text[-40:]


def test_after_a_publication_the_booklet_lays_out_again_only_the_part_it_changes(
    monkeypatch, home, project, sports_project
):
    other_axis = AxisPageFactory(parent=home, number=4, title="Conduire une transition écologique")
    ProjectPageFactory(parent=AmbitionPageFactory(parent=other_axis, number=31), reference="31.1")
    monkeypatch.setattr(booklet, "per_thread", threading.local())
    laid_out, html = [], pdf.HTML
    monkeypatch.setattr(
        pdf, "HTML", lambda string, **options: laid_out.append(string) or html(string=string, **options)
    )
    documents.booklet().render()
    assert len(laid_out) == 6, "the contents twice, two chapters, the index, the footers"

    publish(project, progress=90)
    laid_out.clear()
    pages = [
        folded(page.extract_text())
        for page in pypdf.PdfReader(io.BytesIO(pdf.pdf_bytes(documents.booklet().render()))).pages
    ]
    # The contents and footers (the date of the last publication), the chapter: not the rest.
    again = "".join(laid_out)
    assert 'id="axe-2"' in again
    assert 'id="axe-4"' not in again and 'class="services-index"' not in again
    assert folded("90 %") in pages[2]
    assert pages[4].endswith(folded("Page 5 / 5"))


def test_the_poster_is_one_a3_page_with_every_ambition_and_the_address_of_the_cop(
    agent_client, home, project, sports_project
):
    response = agent_client.get(reverse("poster_pdf"))
    reader = pdf_of(response)
    assert len(reader.pages) == 1
    assert page_size(reader.pages[0]) == A3_POINTS
    text = text_of(reader)
    assert folded("Simplifier l'accès numérique aux services de la ville") in text
    assert folded(home.full_url) in text
    # The QR code says the same address.
    assert content.poster_context(Reader.of())["cop_url"] == home.full_url


def test_the_qr_code_is_inline_svg_of_the_address():
    svg = content.qr_code_svg("https://cop.clamart.example/")
    assert svg.startswith("<svg") and "<title>https://cop.clamart.example/</title>" in svg


def test_french_typography_keeps_spaces_before_double_punctuation_unbroken(axis, ambition):
    ProjectPageFactory(parent=ambition, reference="16.9", title="« Dites-le-nous » : un guichet unique ?")
    rendered = render_to_string("printing/chapter.html", documents.chapter(axis).render_context())
    assert "«\u00a0Dites-le-nous\u00a0»\u00a0: un guichet unique\u00a0?" in rendered


# --- Drafts never show -----------------------------------------------------------------------


def test_draft_text_never_shows_in_any_pdf(agent_client, ambition, project, chapter_url):
    publish(project)
    save_draft(project, title="Brouillon zygomorphe", summary="Résumé zygomorphe")
    unpublished = ProjectPageFactory(
        parent=ambition, reference="16.3", title="Projet zygomorphe jamais publié"
    )
    unpublished.unpublish()
    for url in (chapter_url, reverse("booklet_pdf"), reverse("service_pdf", args=["relation-usagers"])):
        text = text_of(pdf_of(agent_client.get(url)))
        assert "zygomorphe" not in text, url
        assert folded("Créer l'application de la ville") in text, url


# --- Indicators ------------------------------------------------------------------------------


def online_share(ambition, service, **kwargs):
    """An indicator on track: from 30 % in 2021 to 58 % in 2025, 70 % aimed at by the end of 2028."""
    return IndicatorFactory(
        name="Part des démarches en ligne",
        unit="%",
        service=service,
        baseline_value=30,
        baseline_date=datetime.date(2021, 12, 31),
        values=[(datetime.date(2023, 12, 31), 45), (datetime.date(2025, 12, 31), 58)],
        targets=[(datetime.date(2028, 12, 31), 70), (datetime.date(2032, 12, 31), 80)],
        ambitions=[ambition],
        **kwargs,
    )


def test_a_chapter_shows_each_ambitions_indicators_with_latest_value_target_and_standing(
    agent_client, chapter_url, ambition, project, relation_usagers
):
    online_share(ambition, relation_usagers)
    IndicatorFactory(
        name="Délai d'obtention d'un rendez-vous",
        unit="jours",
        direction=Direction.DOWN,
        baseline_value=40,
        values=[(datetime.date(2025, 9, 30), 12)],
        targets=[(datetime.date(2028, 12, 31), 15)],
        ambitions=[ambition],
    )
    IndicatorFactory(name="Arbres plantés", values=[], ambitions=[ambition])
    reader = pdf_of(agent_client.get(chapter_url))
    assert len(reader.pages) == 1
    text = text_of(reader)
    assert folded("Indicateurs Dernière valeur Cible Situation") in text
    assert folded("Arbres plantés aucune 50 % (déc. 2030) Pas encore de valeur") in text
    assert (
        folded("Délai d'obtention d'un rendez-vous 12 jours (sept. 2025) 15 jours (déc. 2028) Cible atteinte")
        in text
    )
    assert folded("Part des démarches en ligne 58 % (déc. 2025) 70 % (déc. 2028) En bonne voie") in text
    assert text.index(folded("Créer l'application de la ville")) < text.index(folded("Arbres plantés"))


def test_a_draft_value_and_an_unpublished_indicator_never_show_in_any_pdf(
    agent_client, chapter_url, ambition, project, relation_usagers, moderator
):
    indicator = online_share(ambition, relation_usagers)
    # A référent's proposal, awaiting moderation: in a revision only.
    indicator.values.add(IndicatorValue(date=datetime.date(2026, 6, 30), value="97.25"))
    indicator.save_revision(user=moderator)
    IndicatorFactory(name="Indicateur zygomorphe en brouillon", live=False, ambitions=[ambition])
    for url in (chapter_url, reverse("booklet_pdf"), reverse("service_pdf", args=["relation-usagers"])):
        text = text_of(pdf_of(agent_client.get(url)))
        assert folded("97,25") not in text and "zygomorphe" not in text, url
        assert folded("Part des démarches en ligne 58 % (déc. 2025)") in text, url


def test_an_indicator_of_a_hidden_ambition_is_not_in_the_pdfs_of_those_who_cannot_read_it(
    client, home, ambition, project, relation_usagers
):
    hidden_axis = AxisPageFactory(parent=home, number=4)
    hidden = AmbitionPageFactory(parent=hidden_axis, number=31)
    ProjectPageFactory(parent=hidden, reference="31.1")
    PageViewRestriction.objects.create(page=hidden_axis, restriction_type=PageViewRestriction.GROUPS)
    online_share(hidden, relation_usagers)
    client.force_login(UserFactory(username="agent"))
    for url in (reverse("booklet_pdf"), reverse("service_pdf", args=["relation-usagers"])):
        assert folded("Part des démarches en ligne") not in text_of(pdf_of(client.get(url))), url


def test_a_service_extract_lists_the_indicators_that_the_service_fills_in(
    agent_client, ambition, project, relation_usagers
):
    online_share(ambition, relation_usagers)
    IndicatorFactory(
        name="Arbres plantés", service=ServiceFactory(name="Espaces verts"), ambitions=[ambition]
    )
    text = text_of(pdf_of(agent_client.get(reverse("service_pdf", args=["relation-usagers"]))))
    assert folded("Indicateurs suivis par le service") in text
    assert folded("Part des démarches en ligne 58 % (déc. 2025) 70 % (déc. 2028) En bonne voie") in text
    assert folded("Arbres plantés") not in text


def test_publishing_an_indicator_rebuilds_the_pdfs_that_show_it_and_a_draft_does_not(
    pdf_queue, django_capture_on_commit_callbacks, home, axis, ambition, project, relation_usagers, moderator
):
    other_axis = AxisPageFactory(parent=home, number=4)
    ProjectPageFactory(parent=AmbitionPageFactory(parent=other_axis, number=31), reference="31.1")
    indicator = online_share(ambition, relation_usagers)
    shown_in = [documents.chapter(axis), documents.booklet(), documents.service_extract(relation_usagers)]
    not_shown_in = [documents.chapter(other_axis), documents.poster()]
    before = {document.key: document.fingerprint() for document in shown_in + not_shown_in}

    indicator.values.add(IndicatorValue(date=datetime.date(2026, 6, 30), value=61))
    with django_capture_on_commit_callbacks(execute=True):
        revision = indicator.save_revision(user=moderator)
    assert not pdf_queue.results
    assert all(document.fingerprint() == before[document.key] for document in shown_in)

    with django_capture_on_commit_callbacks(execute=True):
        revision.publish(user=moderator)
    assert queued_calls(pdf_queue) == [("rebuild_changed_pdfs",)]
    assert all(document.fingerprint() != before[document.key] for document in shown_in)
    assert all(document.fingerprint() == before[document.key] for document in not_shown_in)


def test_the_pdfs_read_their_indicators_in_the_same_number_of_queries_however_many(
    ambition, axis, project, relation_usagers
):
    online_share(ambition, relation_usagers)
    documents_read = [
        documents.chapter(axis),
        documents.booklet(),
        documents.service_extract(relation_usagers),
    ]

    def reading_each():
        counts = []
        for document in documents_read:
            with CaptureQueriesContext(connection) as queries:
                document.render_context()
                document.fingerprint()
            counts.append(len(queries))
        return counts

    reading_each()  # what is read once per process (the COPs, the site's settings) is read
    few = reading_each()
    for _ in range(8):
        IndicatorFactory(
            service=relation_usagers,
            values=[(datetime.date(2020 + year, 12, 31), year) for year in range(5)],
            targets=[(datetime.date(2028, 12, 31), 10), (datetime.date(2032, 12, 31), 20)],
            ambitions=[ambition],
        )
    assert reading_each() == few


# --- Cached until a publication changes them -------------------------------------------------


def test_a_pdf_is_rendered_once_then_served_from_its_file_the_last_one_while_the_next_is_built(
    agent_client, pdf_cache, pdf_queue, home, project, chapter_url
):
    first = agent_client.get(chapter_url)
    pdf_of(first)
    files = list(pdf_cache.iterdir())
    # The COP's tree path in the name: each COP of the install keeps its own files.
    assert [path.name for path in files] == [f"cop-axe-2-{home.path}-{first['ETag'].strip(chr(34))}.pdf"]
    assert pdf_queue.results == [], "with no file at all, rendered in the request"
    modified = files[0].stat().st_mtime_ns

    again = agent_client.get(chapter_url)
    pdf_of(again)
    assert again["ETag"] == first["ETag"]
    assert files[0].stat().st_mtime_ns == modified
    assert agent_client.get(chapter_url, headers={"if-none-match": first["ETag"]}).status_code == 304

    publish(project, title="Créer l'application mobile de la ville")
    meanwhile = agent_client.get(chapter_url)
    assert meanwhile["ETag"] == first["ETag"], "the last complete file, at once"
    assert folded("Créer l'application de la ville") in text_of(pdf_of(meanwhile))
    assert agent_client.get(chapter_url, headers={"if-none-match": first["ETag"]}).status_code == 304
    assert queued_calls(pdf_queue) == [("build_pdf", "axe-2", [], home.path)] * 2

    run_queued_tasks(pdf_queue)
    changed = agent_client.get(chapter_url)
    assert changed["ETag"] != first["ETag"]
    assert folded("Créer l'application mobile de la ville") in text_of(pdf_of(changed))
    assert not files[0].exists(), "the outdated version is removed"
    assert pdf_queue.results == []


def test_a_draft_does_not_change_the_pdf_but_unpublishing_does(
    agent_client, pdf_queue, ambition, project, chapter_url
):
    sports_project = ProjectPageFactory(parent=ambition, reference="16.2", title="Ouvrir les gymnases")
    first = agent_client.get(chapter_url)["ETag"]
    save_draft(project, title="Un titre en brouillon")
    assert agent_client.get(chapter_url)["ETag"] == first
    assert pdf_queue.results == []
    sports_project.unpublish()
    response = current_pdf(agent_client, chapter_url, pdf_queue)
    assert response["ETag"] != first
    assert folded("Ouvrir les gymnases") not in text_of(pdf_of(response))


def test_renaming_a_service_changes_the_pdfs_that_show_it(
    agent_client, pdf_queue, project, education, chapter_url
):
    first = agent_client.get(chapter_url)["ETag"]
    education.name = "Éducation et enfance"
    education.save()
    response = current_pdf(agent_client, chapter_url, pdf_queue)
    assert response["ETag"] != first
    assert folded("Éducation et enfance") in text_of(pdf_of(response))


def test_the_last_file_served_is_always_the_readers_own(client, pdf_queue, ambition, project, chapter_url):
    """Agents who may read a restricted ambition and those who may not each have their own files."""
    restricted = ProjectPageFactory(parent=ambition, reference="16.7", title="Projet réservé à la direction")
    direction = Group.objects.create(name="Direction")
    PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.GROUPS
    ).groups.add(direction)
    director = UserFactory(username="directrice")
    director.groups.add(direction)
    client.force_login(director)
    assert folded("Projet réservé à la direction") in text_of(pdf_of(client.get(chapter_url)))

    client.force_login(UserFactory(username="agent"))
    assert folded("Projet réservé à la direction") not in text_of(pdf_of(client.get(chapter_url)))
    publish(project, title="Créer l'application mobile de la ville")
    meanwhile = text_of(pdf_of(client.get(chapter_url)))
    assert folded("Créer l'application de la ville") in meanwhile, "the agent's own last file"
    assert folded("Projet réservé à la direction") not in meanwhile
    assert queued_calls(pdf_queue) == [("build_pdf", "axe-2", [restricted.path], restricted.path[:8])]
    run_queued_tasks(pdf_queue)
    now = text_of(pdf_of(client.get(chapter_url)))
    assert folded("Créer l'application mobile de la ville") in now
    assert folded("Projet réservé à la direction") not in now


def test_a_file_that_this_database_never_wrote_is_never_served(agent_client, pdf_cache, project, chapter_url):
    """As after restoring a backup: the files left were written from content it never had."""
    pdf_cache.mkdir(parents=True)
    (pdf_cache / "cop-axe-2-00010001-0123456789abcdef.pdf").write_bytes(b"%PDF-1.7 une autre base")
    assert folded("Créer l'application de la ville") in text_of(pdf_of(agent_client.get(chapter_url)))


def test_a_publication_queues_the_builds_of_the_pdfs_it_changes_the_booklet_first(
    pdf_queue, django_capture_on_commit_callbacks, project, relation_usagers, education
):
    call_command("build_pdfs", stdout=io.StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        publish(project, progress=80)
    assert queued_calls(pdf_queue) == [("rebuild_changed_pdfs",)]

    rebuild = pdf_queue.results.pop()
    rebuild.task.call()
    builds = [(result.task.priority, result.args[0]) for result in pdf_queue.results]
    assert builds[0] == (tasks.BOOKLET_PRIORITY, "complet")
    # Not the poster, which shows no project.
    assert sorted(builds[1:]) == [(0, "axe-2"), (0, "service-education"), (0, "service-relation-usagers")]
    run_queued_tasks(pdf_queue)
    for document in documents.every_document():
        assert document.is_written(document.fingerprint()), document.key


@contextmanager
def signal_handlers_kept():
    """The worker takes over SIGINT and SIGTERM to stop cleanly: given back to pytest afterwards."""
    numbers = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    handlers = {number: signal.getsignal(number) for number in numbers}
    try:
        yield
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_rebuilds_after_a_burst_of_publications_each_pdf_once_the_booklet_first(settings, project):
    settings.TASKS = {**settings.TASKS, tasks.BACKEND: {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("build_pdfs", stdout=io.StringIO())
    for progress in (50, 60, 70):
        publish(project, progress=progress)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1

    with signal_handlers_kept():
        call_command("db_worker", "--backend", tasks.BACKEND, "--batch", "--no-startup-delay", verbosity=0)
    ran = [
        (result.status, result.task_path.rpartition(".")[2], *result.args_kwargs["args"][:1])
        for result in DBTaskResult.objects.order_by("started_at")
    ]
    assert ran[:2] == [("SUCCESSFUL", "rebuild_changed_pdfs"), ("SUCCESSFUL", "build_pdf", "complet")]
    assert sorted(ran[2:]) == [
        ("SUCCESSFUL", "build_pdf", "axe-2"),
        ("SUCCESSFUL", "build_pdf", "service-education"),
        ("SUCCESSFUL", "build_pdf", "service-relation-usagers"),
    ]
    for document in documents.every_document():
        assert document.is_written(document.fingerprint()), document.key


def test_a_project_published_elsewhere_leaves_a_chapter_and_the_poster_alone(home, axis, project):
    other_axis = AxisPageFactory(parent=home, number=4)
    other_project = ProjectPageFactory(parent=AmbitionPageFactory(parent=other_axis, number=31))
    chapter, poster, booklet = documents.chapter(axis), documents.poster(), documents.booklet()
    before = chapter.fingerprint(), poster.fingerprint(), booklet.fingerprint()
    publish(other_project, title="Un autre titre")
    assert chapter.fingerprint() == before[0]
    assert poster.fingerprint() == before[1]
    assert booklet.fingerprint() != before[2]


def test_build_pdfs_renders_every_pdf_ahead_and_removes_outdated_files(pdf_cache, project, relation_usagers):
    pdf_cache.mkdir(parents=True)
    outdated = pdf_cache / "cop-service-supprime-0123456789abcdef.pdf"
    outdated.write_bytes(b"%PDF-1.7 old")
    # Where chapter lengths were kept before the database kept them.
    former_length = pdf_cache / "longueur-page-3-0123456789abcdef.txt"
    former_length.write_text("2")
    someone_elses = pdf_cache / "notes.txt"
    someone_elses.write_text("à garder")
    output = io.StringIO()
    call_command("build_pdfs", stdout=output)
    names = {path.name for path in pdf_cache.iterdir()}
    for document in documents.every_document():
        assert document.file_name(document.fingerprint()) in names
        assert document.last_written() == document.fingerprint(), "served while the next is built"
    assert not outdated.exists() and not former_length.exists() and someone_elses.exists()
    text = output.getvalue().replace("\u00a0", " ")
    assert "[1/5] Le COP complet : généré en" in text
    assert "Longueur du chapitre Axe 2 : 1 page\n" in text
    assert "2 fichiers périmés supprimés" in text

    again = io.StringIO()
    call_command("build_pdfs", stdout=again)
    assert "[1/5] Le COP complet : déjà à jour" in again.getvalue()


# --- Only the site's static files are read ---------------------------------------------------


def test_the_renderer_reads_static_files_from_disk_and_refuses_any_other_address():
    fetcher = StaticFilesFetcher("http://testserver/")
    response = fetcher.fetch("http://testserver/static/css/pdf.css")
    assert response.content_type == "text/css" and b"@page" in response.read()
    for refused in (
        "http://example.com/static/css/pdf.css",
        "file:///etc/passwd",
        "http://testserver/admin/",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(refused)
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch("http://testserver/static/css/absent.css")
    with pytest.raises(ValueError):
        fetcher.fetch("http://testserver/static/../cop_site/settings/base.py")


# --- The two-page rule, where editors work ---------------------------------------------------


def lengthen(ambition, count):
    """`count` new projects under `ambition`, drafts never published, as an editor adds them."""
    sports = ServiceFactory(name="Sports", slug="sports")
    for number in range(count):
        project = ProjectPageFactory.build(
            reference=f"{ambition.number}.{100 + number}",
            title=f"Projet supplémentaire numéro {number} pour allonger le chapitre",
            live=False,
            pilot_service=sports,
        )
        ambition.add_child(instance=project)


@pytest.fixture
def layouts(monkeypatch):
    """Each document that WeasyPrint lays out, counted on WeasyPrint's own method, which still runs."""
    laid_out = []
    render = weasyprint.HTML.render

    def counted_render(self, *args, **kwargs):
        laid_out.append(self)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counted_render)
    return laid_out


@pytest.fixture
def editor_client(client):
    client.force_login(member_of(roles.EDITORS, "editeur"))
    return client


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def shown_messages(response):
    """The messages on the page, as (level, text), the non-breaking spaces read as spaces."""
    return [
        (message.level_tag, str(message).replace("\u00a0", " ")) for message in response.context["messages"]
    ]


def save_in_editor(client, page, capture_on_commit, **changes):
    """Saves a draft of `page` through the page editor, its form as the editor gets it with `changes`;
    the page the editor lands on, once what the save queues after its commit is queued."""
    data = querydict_from_html(client.get(edit_url(page)).content.decode(), form_id="page-edit-form")
    for name, value in changes.items():
        data[name] = value
    with capture_on_commit(execute=True):
        response = client.post(edit_url(page), data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(edit_url(page), 302)], "saved, back in the editor"
    return response


def test_saving_a_draft_lays_nothing_out_and_the_worker_counts_its_chapter(
    editor_client, pdf_queue, layouts, django_capture_on_commit_callbacks, axis, project
):
    response = save_in_editor(
        editor_client, project, django_capture_on_commit_callbacks, title="Créer l'application de la ville"
    )
    assert ProjectPage.objects.get(pk=project.pk).has_unpublished_changes
    assert not layouts, "no chapter laid out while the editor waits"
    assert ("info", "Longueur imprimée de ce chapitre en cours de calcul.") in shown_messages(response)
    assert set(queued_calls(pdf_queue)) == {("count_chapter_length", axis.pk)}

    run_queued_tasks(pdf_queue)
    assert len(layouts) == 1, "counted once, however many times it was queued"
    shown = shown_messages(editor_client.get(edit_url(project)))
    assert any(
        level == "info"
        and re.fullmatch(r"Ce chapitre tient sur 1 page imprimée\. Compté le .+ à \d\d:\d\d\.", text)
        for level, text in shown
    ), shown
    assert not pdf_queue.results, "a current count is not queued again"


def test_a_chapter_lengthened_in_the_editor_is_warned_once_counted_and_while_it_is_counted_again(
    editor_client, pdf_queue, layouts, django_capture_on_commit_callbacks, axis, project
):
    long_intro = rich_text("<p>" + "Une introduction très longue. " * 600 + "</p>")
    save_in_editor(editor_client, axis, django_capture_on_commit_callbacks, intro=long_intro)
    assert not layouts
    run_queued_tasks(pdf_queue)
    shown = shown_messages(editor_client.get(edit_url(project)))
    too_long = r"Ce chapitre tient sur [3-9] pages imprimées : deux au plus\. Raccourcissez-le avant sa"
    assert any(level == "warning" and re.match(too_long, text) for level, text in shown), shown
    assert AxisPage.objects.get(pk=axis.pk).has_unpublished_changes

    response = save_in_editor(editor_client, project, django_capture_on_commit_callbacks, progress="40")
    shown = shown_messages(response)
    counting = (
        r"Longueur imprimée de ce chapitre en cours de calcul\. "
        r"Au dernier compte, le .+, il tenait sur [3-9] pages imprimées : deux au plus\."
    )
    assert any(level == "warning" and re.fullmatch(counting, text) for level, text in shown), shown


def test_the_report_shows_the_last_counts_and_flags_a_chapter_that_an_editor_lengthened(
    editor_client, pdf_queue, layouts, django_capture_on_commit_callbacks, ambition, project
):
    url = reverse("chapter_length_report")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Longueur des chapitres" in page and "En cours de calcul" in page
    assert not layouts, "the report lays nothing out either"

    run_queued_tasks(pdf_queue)
    page = editor_client.get(url).content.decode()
    assert "Tient sur deux pages" in page and "En cours de calcul" not in page

    lengthen(ambition, 120)
    with django_capture_on_commit_callbacks(execute=True):
        page = editor_client.get(url).content.decode()
    assert "Tient sur deux pages" in page and "en cours de calcul" in page, "the last count, until the next"
    run_queued_tasks(pdf_queue)
    page = editor_client.get(url).content.decode().replace("\u00a0", " ")
    assert re.search(r"Trop long : [3-9] pages, deux au plus", page)
    # Agents still get the published chapter: the drafts are not in it.
    assert len(pdf_of(editor_client.get(f"{ambition.get_parent().url}chapitre.pdf")).pages) == 1


def test_the_chapter_length_counts_the_indicators_those_not_yet_published_included(
    pdf_queue, agent_client, chapter_url, axis, ambition, project
):
    assert lengths.count_chapter_length(axis).page_count == 1
    for number in range(150):
        IndicatorFactory(
            name=f"Indicateur supplémentaire numéro {number} pour allonger le chapitre",
            live=False,
            ambitions=[ambition],
        )
    assert not lengths.length_statuses([axis])[axis.pk].is_current
    assert lengths.count_chapter_length(axis).page_count > lengths.MAX_PAGES
    # Agents get the published chapter: the indicators not yet published are not in it.
    assert len(pdf_of(agent_client.get(chapter_url)).pages) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_saves_queue_one_count_that_the_worker_makes(settings, client, axis, project):
    settings.TASKS = {**settings.TASKS, tasks.BACKEND: {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(member_of(roles.EDITORS, "editeur"))
    for progress in ("40", "50"):
        data = querydict_from_html(client.get(edit_url(project)).content.decode(), form_id="page-edit-form")
        data["progress"] = progress
        assert client.post(edit_url(project), data).status_code == 302
    counts = DBTaskResult.objects.filter(task_path="printing.tasks.count_chapter_length")
    assert counts.filter(status=TaskResultStatus.READY).count() == 1

    with signal_handlers_kept():
        call_command("db_worker", "--backend", tasks.BACKEND, "--batch", "--no-startup-delay", verbosity=0)
    assert counts.get().status == TaskResultStatus.SUCCESSFUL
    shown = shown_messages(client.get(edit_url(project)))
    assert any(text.startswith("Ce chapitre tient sur 1 page imprimée. Compté le") for _, text in shown), (
        shown
    )


def test_only_editors_and_moderators_see_the_report(client, axis):
    client.force_login(member_of(roles.AGENTS, "agent"))
    assert client.get(reverse("chapter_length_report")).status_code in (302, 403)
    client.force_login(member_of(roles.MODERATORS, "moderateur"))
    assert client.get(reverse("chapter_length_report")).status_code == 200
    assert "Longueur des chapitres" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_a_pdf_already_rendered_is_served_in_a_few_queries(
    agent_client, project, chapter_url, django_assert_max_num_queries
):
    for url in (chapter_url, reverse("booklet_pdf"), reverse("service_pdf", args=["relation-usagers"])):
        agent_client.get(url)
        # 13 with the reader rule's restrictions (axes.readers).
        with django_assert_max_num_queries(13):
            pdf_of(agent_client.get(url))
