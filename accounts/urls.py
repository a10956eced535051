from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path(
        "connexion/",
        # A signed-in agent sent here lacks access to where they were going (the admin, say):
        # sending them back there would loop, so the page tells them instead.
        views.LoginView.as_view(),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("connexion/verification/", views.session_check, name="session_check"),
]
