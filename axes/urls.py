from django.urls import path, register_converter

from . import views
from .tree import REFERENCE_PATTERN


class ReferenceConverter:
    """A project reference as the model allows it (16.2, 3-B): anything else is no project's."""

    regex = REFERENCE_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ReferenceConverter, "reference")

urlpatterns = [
    path("ambitions/<int:number>/", views.ambition_shortlink, name="ambition_shortlink"),
    path("projets/<reference:reference>/", views.project_shortlink, name="project_shortlink"),
    path("services/", views.service_list, name="service_list"),
    path("services/<slug:slug>/", views.service_detail, name="service_detail"),
    path("mon-service/", views.my_service, name="my_service"),
    path("partenariats/", views.partnerships, name="partnerships"),
]
