"""The indicators list's filters (`?axe=<n>&service=<slug>`): a bad one is reported in French and left
out, never a server error."""

from django.db.models import Exists, OuterRef, Q

from axes.models import AmbitionPage, ProjectPage


def filtered(indicators, criteria, reader):
    """The indicators of an axis (linked to one of its ambitions, or one of its projects, that the
    reader sees) and of a service (the one that owns them)."""
    if "axe" in criteria:
        under_axis = Q(path__startswith=criteria["axe"].path) & reader.readable_q()
        indicators = indicators.filter(
            Exists(AmbitionPage.objects.filter(under_axis, indicators=OuterRef("pk")))
            | Exists(ProjectPage.objects.filter(under_axis, indicators=OuterRef("pk")))
        )
    if "service" in criteria:
        indicators = indicators.filter(service=criteria["service"])
    return indicators
