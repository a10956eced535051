from django.contrib import messages
from django.shortcuts import redirect

from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Indicator


class IndicatorViewSet(SnippetViewSet):
    model = Indicator
    icon = "table"
    menu_label = "Indicateurs"
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "service", "cop", "unit"]
    list_filter = ["cop", "service"]
    search_fields = ["name", "definition"]
    search_backend_name = None
    ordering = ["name"]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("cop"),
                    FieldPanel("name"),
                    FieldPanel("slug"),
                    FieldPanel("definition"),
                    FieldRowPanel([FieldPanel("unit"), FieldPanel("direction")]),
                    FieldPanel("service"),
                    FieldPanel("source"),
                    FieldPanel("update_months"),
                    MultiFieldPanel(
                        [FieldPanel("ambitions"), FieldPanel("projects")],
                        heading="Ce que l'indicateur mesure",
                    ),
                ],
                heading="Indicateur",
            ),
            ObjectList(
                [
                    FieldRowPanel([FieldPanel("baseline_value"), FieldPanel("baseline_date")]),
                    InlinePanel("targets", heading="Cibles", label="cible"),
                    InlinePanel("values", heading="Valeurs", label="valeur"),
                ],
                heading="Valeurs et cibles",
            ),
        ]
    )


register_snippet(IndicatorViewSet)


@hooks.register("before_delete_snippet")
def archived_indicators_are_not_deleted(request, instances):
    """An archived COP's indicators stay, as its pages do (the form refuses their changes)."""
    archived = next(
        (instance.cop for instance in instances if isinstance(instance, Indicator) and instance.cop.archived),
        None,
    )
    if archived is None:
        return None
    messages.error(request, archived.read_only_message)
    return redirect(Indicator.snippet_viewset.get_url_name("list"))
