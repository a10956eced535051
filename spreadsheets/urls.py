from django.urls import path

from . import views

urlpatterns = [
    path("export/projets.<str:kind>", views.export_projects, name="export_projects"),
    path("export/indicateurs.<str:kind>", views.export_indicator_values, name="export_indicator_values"),
]
