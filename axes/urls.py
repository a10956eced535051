from django.urls import path

from . import views

urlpatterns = [
    path("ambitions/<int:number>/", views.ambition_shortlink, name="ambition_shortlink"),
    path("projets/<str:reference>/", views.project_shortlink, name="project_shortlink"),
    path("services/", views.service_list, name="service_list"),
    path("services/<slug:slug>/", views.service_detail, name="service_detail"),
    path("mon-service/", views.my_service, name="my_service"),
    path("partenariats/", views.partnerships, name="partnerships"),
]
