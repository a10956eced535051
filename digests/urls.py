from django.urls import path

from . import views

app_name = "digests"

urlpatterns = [
    path("", views.subscriptions, name="subscriptions"),
    path("abonner/", views.subscribe, name="subscribe"),
    path("<int:pk>/resilier/", views.cancel, name="cancel"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
