"""The demo COP loaded for a whole module or package of tests, and undone afterwards, so that the
tests after them start with an empty COP and no city."""

from contextlib import contextmanager

from wagtail.models import Site

from axes.cops import current_cop
from axes.models import AxisPage, HomePage, Service
from home.models import CityIdentity


@contextmanager
def demo_undone_afterwards(django_db_blocker):
    """Undoes, when the block ends, what `load_demo_cop` leaves: its pages and services, the city's
    identity, the site's name and the COP's title."""
    with django_db_blocker.unblock():
        site_name = Site.objects.get(is_default_site=True).site_name
        cop_title = current_cop().title
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            AxisPage.objects.all().delete()
            Service.objects.all().delete()
            CityIdentity.objects.all().delete()
            Site.objects.filter(is_default_site=True).update(site_name=site_name)
            HomePage.objects.filter(pk=current_cop().pk).update(title=cop_title, draft_title=cop_title)
