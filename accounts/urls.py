from django.urls import path

from . import oidc, views

urlpatterns = [
    path(
        "connexion/",
        # A signed-in agent sent here lacks access to where they were going (the admin, say):
        # sending them back there would loop, so the page tells them instead.
        views.LoginView.as_view(),
        name="login",
    ),
    # Sign-in with the city's account (accounts/oidc.py; 404 unless OIDC_RP_CLIENT_ID is set). The
    # names are mozilla-django-oidc's own; the provider must know the callback (README).
    path("connexion/oidc/", oidc.ProviderSignInView.as_view(), name="oidc_authentication_init"),
    path("connexion/oidc/retour/", oidc.ProviderCallbackView.as_view(), name="oidc_authentication_callback"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("connexion/verification/", views.session_check, name="session_check"),
]
