from django.urls import path

from . import views

urlpatterns = [
    path("", views.indicator_list, name="indicator_list"),
    path("<slug:slug>/", views.indicator_detail, name="indicator_detail"),
]
