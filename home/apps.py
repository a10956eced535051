from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Accueil du COP"
    # Read by the page cache (caching/): the city's identity shows on every page.
    cop_publication_models = ("home.CityIdentity",)

    def ready(self):
        from .site_address import follow_base_url

        post_migrate.connect(follow_base_url, sender=self)
