import re

from django.urls import path, re_path

from . import views

urlpatterns = [
    path("export/cop.pdf", views.booklet_pdf, name="booklet_pdf"),
    path("export/affiche.pdf", views.poster_pdf, name="poster_pdf"),
    path("services/<slug:slug>/fiche.pdf", views.service_pdf, name="service_pdf"),
    re_path(
        rf"^(?P<axis_path>(?:[\w-]+/)+){re.escape(views.CHAPTER_ROUTE)}$",
        views.chapter_pdf_at,
        name="chapter_pdf",
    ),
]
