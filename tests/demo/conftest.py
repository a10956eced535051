from io import StringIO

from django.core.management import call_command

from wagtail.models import Site

import pytest

from axes.models import AxisPage, HomePage, Service
from home.models import CityIdentity


@pytest.fixture(scope="package")
def demo_cop(django_db_setup, django_db_blocker):
    """The demo COP, loaded twice as a newcomer running the quickstart twice would, once for
    every test of this package, and removed afterwards so that other tests start empty."""
    with django_db_blocker.unblock():
        site_name = Site.objects.get(is_default_site=True).site_name
        cop_title = HomePage.objects.cop().title
        call_command("load_demo_cop", stdout=StringIO())
        call_command("load_demo_cop", stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        AxisPage.objects.all().delete()
        Service.objects.all().delete()
        # The demo names its city: other tests start with none.
        CityIdentity.objects.all().delete()
        Site.objects.filter(is_default_site=True).update(site_name=site_name)
        HomePage.objects.filter(pk=HomePage.objects.cop().pk).update(title=cop_title, draft_title=cop_title)
