from io import StringIO

from django.core.management import call_command

from wagtail.models import Site

import pytest

from axes.demo.builder import cop_2020, cop_2026, make_current

from ..demo_loading import demo_undone_afterwards


@pytest.fixture(scope="package")
def demo_cop(django_db_setup, django_db_blocker):
    """The demo's 2020–2026 COP of 250 projects, current and reopened, as an administrator would
    make it, once for every test of this package.

    The whole demo (both COPs) is loaded twice, as a newcomer running the quickstart twice would,
    and removed afterwards so that other tests start empty. Tests of the demo as loaded (the
    2026–2032 COP current, the 2020–2026 one archived) ask for `demo_as_loaded`."""
    with demo_undone_afterwards(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("load_demo_cop", stdout=StringIO())
            call_command("load_demo_cop", stdout=StringIO())
            old_cop = cop_2020()
            make_current(old_cop, reopen=True)
        yield old_cop


@pytest.fixture
def demo_as_loaded(demo_cop):
    """The demo as `load_demo_cop` leaves it, for one test: its transaction undoes this, but not
    Wagtail's cache of the sites' root paths, which is cleared afterwards."""
    old_cop = cop_2020()
    old_cop.archived = True
    old_cop.save_revision(clean=False).publish()
    make_current(cop_2026())
    yield old_cop, cop_2026()
    Site.clear_site_root_paths_cache()
