import re

from django import forms

from axes.models import AxisPage, Service

from .models import RHYTHMS, Frequency, Scope, Subscription

FREQUENCY_CHOICES = [(frequency, RHYTHMS[frequency].capitalize()) for frequency in Frequency]
# ASCII digits ("²".isdigit() holds, yet int() refuses it), few enough for a database integer.
PAGE_ID = re.compile(r"[0-9]{1,18}")


class SubscribeForm(forms.Form):
    """Subscribes the agent to the COP, an axis or a service, or changes how often they get its digest.

    The target comes from hidden fields of the page's form: `cible` is the axis's id or the service's slug.
    """

    portee = forms.ChoiceField(
        choices=Scope.choices, error_messages={"invalid_choice": "Cet abonnement ne porte sur rien de connu."}
    )
    cible = forms.CharField(required=False)
    frequence = forms.ChoiceField(
        label="Fréquence",
        choices=FREQUENCY_CHOICES,
        error_messages={
            "required": "Choisissez une fréquence : chaque semaine ou chaque mois.",
            "invalid_choice": "Choisissez une fréquence : chaque semaine ou chaque mois.",
        },
    )

    def clean(self):
        cleaned = super().clean()
        scope, key = cleaned.get("portee"), cleaned.get("cible", "")
        if scope == Scope.AXIS:
            cleaned["axis"] = (
                AxisPage.objects.live().filter(pk=int(key)).first() if PAGE_ID.fullmatch(key) else None
            )
            if cleaned["axis"] is None:
                raise forms.ValidationError("Cet axe n'existe pas ou n'est pas publié.")
        elif scope == Scope.SERVICE:
            cleaned["service"] = Service.objects.filter(slug=key).first()
            if cleaned["service"] is None:
                raise forms.ValidationError("Ce service n'existe pas.")
        return cleaned

    def save(self, user):
        """(subscription, created): a new subscription starts now, a known one only changes frequency."""
        data = self.cleaned_data
        return Subscription.objects.update_or_create(
            user=user,
            scope=data["portee"],
            axis=data.get("axis"),
            service=data.get("service"),
            defaults={"frequency": data["frequence"]},
        )

    def problems(self):
        return [error for errors in self.errors.values() for error in errors]
