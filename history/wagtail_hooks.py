from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Edition


class EditionViewSet(SnippetViewSet):
    model = Edition
    icon = "date"
    menu_label = "Éditions du COP"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "date"]
    search_fields = ["name", "description"]
    search_backend_name = None
    ordering = ["-date"]
    panels = [FieldPanel("name"), FieldPanel("date"), FieldPanel("description")]


register_snippet(EditionViewSet)
