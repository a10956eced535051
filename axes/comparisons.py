"""Two versions of a project side by side in the admin, each change read as one: "Suspendu → Engagé",
"30 → 45", "1er avril 2026 → 3 mai 2026". Wagtail's own comparisons run the two values together
("SuspenduEngagé", "3045") and name services by their slugs."""

from django.utils.html import escape

from modelcluster.contrib.taggit import ClusterTaggableManager
from wagtail.admin.compare import FieldComparison, TextDiff
from wagtail.admin.panels import FieldPanel

from utils.typography import day

ARROW = " → "
EMPTY = "non renseigné"


class ChangeComparison(FieldComparison):
    """A value replaced by another, each shown as a reader would say it."""

    def display(self, value):
        return EMPTY if value in (None, "") else str(value)

    def htmldiff(self):
        before, after = self.display(self.val_a), self.display(self.val_b)
        if not self.has_changed():
            return escape(after)
        return TextDiff([("deletion", before), ("addition", after)], separator=ARROW).to_html()


class ChoiceComparison(ChangeComparison):
    def display(self, value):
        return super().display(dict(self.field.flatchoices).get(value, value))


class DateComparison(ChangeComparison):
    def display(self, value):
        return day(value) if value else EMPTY


class RelatedComparison(ChangeComparison):
    def display(self, value):
        related = self.field.related_model.objects.filter(pk=value).first() if value else None
        return super().display(related)


class ServicesComparison(FieldComparison):
    """The services kept, removed and added, by name."""

    def has_changed(self):
        return {service.pk for service in self.val_a} != {service.pk for service in self.val_b}

    def htmldiff(self):
        before = {service.pk: service for service in self.val_a}
        after = {service.pk: service for service in self.val_b}

        def change(pk):
            return "equal" if pk in before and pk in after else "deletion" if pk in before else "addition"

        everyone = sorted({**before, **after}.values(), key=lambda service: service.name)
        return TextDiff(
            [(change(service.pk), service.name) for service in everyone], separator=", "
        ).to_html()


def comparison_for(field):
    if field.choices:
        return ChoiceComparison
    if isinstance(field, ClusterTaggableManager):
        return ServicesComparison
    if field.get_internal_type() == "DateField":
        return DateComparison
    if field.is_relation:
        return RelatedComparison
    return ChangeComparison


class ComparedPanel(FieldPanel):
    """A field panel whose versions compare as a change from one value to another."""

    def get_comparison_class(self):
        return comparison_for(self.db_field)
