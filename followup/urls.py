from django.urls import path, re_path

from axes.tree import REFERENCE_PATTERN

from . import calendar_views, campaign_views

urlpatterns = [
    path("calendrier/", calendar_views.calendar, name="calendar"),
    path("campagnes/<int:pk>/", campaign_views.campaign_detail, name="campaign_detail"),
    re_path(
        rf"^campagnes/(?P<pk>[0-9]+)/a-jour/(?P<reference>{REFERENCE_PATTERN})/$",
        campaign_views.confirm_up_to_date,
        name="campaign_confirm",
    ),
]
