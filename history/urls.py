from django.urls import path, re_path

from . import views
from .feeds import JournalFeed
from .publications import HISTORY_PATH

urlpatterns = [
    path("", views.journal, name="evolutions"),
    path("flux/", JournalFeed(), name="evolutions_feed"),
    path("comparer/", views.compare_dates, name="evolutions_compare"),
]

# `<page URL>historique/`, before Wagtail's own URLs (cop_site/urls.py).
page_urlpatterns = [
    re_path(rf"^(?P<path>(?:[\w-]+/)+){HISTORY_PATH}$", views.page_history_at, name="page_history"),
]
