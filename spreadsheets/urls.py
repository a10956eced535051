from django.urls import path

from . import views

urlpatterns = [
    path("export/projets.<str:kind>", views.export_projects, name="export_projects"),
]
