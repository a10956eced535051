from django import forms

from wagtail.users.forms import UserCreationForm, UserEditForm

from axes.models import Service


def services_field():
    return forms.ModelMultipleChoiceField(
        queryset=Service.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Services de l'agent",
        help_text="Les services dont l'agent retrouve les projets sous « Mon service ».",
    )


class AgentEditForm(UserEditForm):
    services = services_field()

    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | {"services"}


class AgentCreationForm(UserCreationForm):
    services = services_field()

    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | {"services"}
