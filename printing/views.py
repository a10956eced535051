"""The COP's PDFs for agents, at once: the current file, or while the worker writes it the newest
complete one; rendered in the request only when that PDF has no file at all."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_GET

from axes.models import AxisPage, Service
from axes.readers import Reader
from utils.serving import page_or_404, serve_as_page

from . import documents, tasks

CHAPTER_ROUTE = "chapitre.pdf"


def pdf_response(request, document):
    current = document.fingerprint()
    served = document.version_to_serve(current)
    if served != current:
        tasks.queue_build(document)
    etag = f'"{served}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        # A newer version may have replaced the one chosen meanwhile: then the current one is written.
        file = document.open_written(served) or document.open(current)
        response = FileResponse(file, filename=document.download_name, content_type="application/pdf")
    response["ETag"] = etag
    # Private like every page of the COP; the browser asks again, and gets 304 while nothing changed.
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_GET
def booklet_pdf(request):
    return pdf_response(request, documents.booklet(reader=Reader.of(request.user, request.cop)))


@require_GET
def poster_pdf(request):
    return pdf_response(request, documents.poster(reader=Reader.of(request.user, request.cop)))


@require_GET
def service_pdf(request, slug):
    service = get_object_or_404(Service, slug=slug)
    return pdf_response(
        request, documents.service_extract(service, reader=Reader.of(request.user, request.cop))
    )


@require_GET
def chapter_pdf_at(request, axis_path):
    """`<axis URL>chapitre.pdf`, as protected as the axis page itself."""
    axis = page_or_404(request, axis_path, AxisPage)
    return serve_as_page(
        axis,
        request,
        lambda: pdf_response(request, documents.chapter(axis, reader=Reader.of(request.user, request.cop))),
    )
