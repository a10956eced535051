from django.urls import path

from . import views

urlpatterns = [
    path("projets/<str:reference>/proposer/", views.propose_update, name="propose_update"),
]
