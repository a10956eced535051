from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Service


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
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("direction"),
        FieldPanel("description"),
        FieldPanel("email"),
        FieldPanel("aliases"),
    ]


register_snippet(ServiceViewSet)
