from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Accueil du COP"

    def ready(self):
        from .site_address import follow_base_url

        post_migrate.connect(follow_base_url, sender=self)
