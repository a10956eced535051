"""The demo loaded for a whole module or package of tests, and undone afterwards, so that the
tests after them start with one empty COP and no city."""

from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType

from wagtail.models import ModelLogEntry, Revision, Site

from axes.cops import current_cop
from axes.models import AxisPage, HomePage, Service
from home.models import CityIdentity
from indicators.models import Indicator

# What the demo changes on the COP the install began with, which becomes its 2020–2026 COP.
COP_FIELDS = [
    "title",
    "draft_title",
    "slug",
    "url_path",
    "intro",
    "start_year",
    "end_year",
    "archived",
    "live_revision_id",
    "latest_revision_id",
]


@contextmanager
def demo_undone_afterwards(django_db_blocker):
    """Undoes, when the block ends, what `load_demo_cop` leaves: its pages, its second COP and
    services, its indicators and their log, the city's identity, the site's name and root, and the
    first COP's fields and revisions."""
    with django_db_blocker.unblock():
        site = Site.objects.get(is_default_site=True)
        site_name, first_cop = site.site_name, current_cop()
        cop_fields = {name: getattr(first_cop, name) for name in COP_FIELDS}
        last_revision = Revision.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            # The site first: deleting the COP that it has for root would delete the site with it.
            Site.objects.filter(pk=site.pk).update(site_name=site_name, root_page=first_cop)
            # Indicators first: they keep their COP and service from being deleted.
            Indicator.objects.all().delete()
            ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Indicator)).delete()
            AxisPage.objects.all().delete()
            HomePage.objects.exclude(pk=first_cop.pk).delete()
            Service.objects.all().delete()
            CityIdentity.objects.all().delete()
            HomePage.objects.filter(pk=first_cop.pk).update(**cop_fields)
            Revision.objects.filter(object_id=str(first_cop.pk), pk__gt=last_revision).delete()
            Site.clear_site_root_paths_cache()
