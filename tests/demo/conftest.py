from io import StringIO

from django.core.management import call_command

import pytest

from ..demo_loading import demo_undone_afterwards


@pytest.fixture(scope="package")
def demo_cop(django_db_setup, django_db_blocker):
    """The demo COP, loaded twice as a newcomer running the quickstart twice would, once for
    every test of this package, and removed afterwards so that other tests start empty."""
    with demo_undone_afterwards(django_db_blocker):
        with django_db_blocker.unblock():
            call_command("load_demo_cop", stdout=StringIO())
            call_command("load_demo_cop", stdout=StringIO())
        yield
