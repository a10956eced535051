from django.apps import AppConfig


class AxesConfig(AppConfig):
    name = "axes"
    verbose_name = "Axes, ambitions et projets"
    # Read by the page cache (caching/), which the domain does not import: the rows that readers see,
    # and the views whose whole response an agent's next visit may get from the cache.
    cop_publication_models = ("axes.Service", "axes.ProjectService", "axes.ProjectRelation")
    cop_whole_page_views = ("service_list", "service_detail", "partnerships")

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)
