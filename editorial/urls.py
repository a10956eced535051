from django.urls import path, re_path

from axes.tree import REFERENCE_PATTERN

from . import views

urlpatterns = [
    # The reference as the model allows it: anything else (a NUL byte…) is no project's, a 404.
    re_path(
        rf"^projets/(?P<reference>{REFERENCE_PATTERN})/proposer/$",
        views.propose_update,
        name="propose_update",
    ),
    path(
        "indicateurs/<slug:slug>/proposer/",
        views.propose_indicator_value,
        name="propose_indicator_value",
    ),
]
