from wagtail.contrib.routable_page.models import RoutablePageMixin, path

HISTORY_PATH = "historique/"


class PageWithHistory(RoutablePageMixin):
    """A COP page whose published versions agents read at `<page URL>historique/`."""

    @path(HISTORY_PATH, name="history")
    def history(self, request):
        from .views import page_history  # the views import the page models that use this mixin

        return page_history(request, self)

    @property
    def history_path(self):
        """The history's address relative to the page's: `{% pageurl page %}{{ page.history_path }}`."""
        return HISTORY_PATH
