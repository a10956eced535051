from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Subscription


class SubscriptionViewSet(ModelViewSet):
    """The agents' subscriptions, for administrators (no role but the superuser has their permissions)."""

    model = Subscription
    icon = "mail"
    menu_label = "Abonnements aux évolutions"
    add_to_settings_menu = True
    list_display = [
        Column("user", label="Agent"),
        Column("target_label", label="Évolutions suivies"),
        Column("frequency", label="Fréquence"),
        DateColumn("covered_until", label="Envoyées jusqu'au"),
    ]
    list_filter = ["scope", "frequency"]
    search_fields = ["user__username", "user__last_name", "user__email"]
    search_backend_name = None
    ordering = ["user__username", "scope"]
    form_fields = ["user", "scope", "axis", "service", "frequency"]


@hooks.register("register_admin_viewset")
def register_subscription_viewset():
    return SubscriptionViewSet("abonnements")
