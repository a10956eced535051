from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .forms import AgentCreationForm, AgentEditForm


class UserViewSet(WagtailUserViewSet):
    """Wagtail's user admin, where administrators also set each agent's services."""

    create_template_name = "accounts/users/create.html"
    edit_template_name = "accounts/users/edit.html"

    def get_form_class(self, for_update=False):
        return AgentEditForm if for_update else AgentCreationForm
