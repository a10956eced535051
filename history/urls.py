from django.urls import path

from . import views
from .feeds import JournalFeed

urlpatterns = [
    path("", views.journal, name="evolutions"),
    path("flux/", JournalFeed(), name="evolutions_feed"),
    path("comparer/", views.compare_dates, name="evolutions_compare"),
]
