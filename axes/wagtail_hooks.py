from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_forms import ServiceSearchForm
from .models import Service


class ServiceChooseView(ChooseView):
    filter_form_class = ServiceSearchForm


class ServiceChooseResultsView(ChooseResultsView):
    filter_form_class = ServiceSearchForm


class ServiceChooserViewSet(SnippetChooserViewSet):
    """The chooser of the pilot service, with a search box: the list runs over several pages."""

    choose_view_class = ServiceChooseView
    choose_results_view_class = ServiceChooseResultsView


class ServiceViewSet(SnippetViewSet):
    model = Service
    icon = "group"
    menu_label = "Services"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "direction", "email"]
    search_fields = ["name", "direction", "description"]
    search_backend_name = None
    ordering = ["name"]
    chooser_viewset_class = ServiceChooserViewSet
    chooser_per_page = 20
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("direction"),
        FieldPanel("description"),
        FieldPanel("email"),
        FieldPanel("aliases"),
    ]


register_snippet(ServiceViewSet)
