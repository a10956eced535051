"""The Wagtail Site follows COP_BASE_URL, the address that agents, e-mails and printed pages use."""

from urllib.parse import urlsplit

from django.conf import settings

from wagtail.models import Site

DEFAULT_PORTS = {"http": 80, "https": 443}


def hostname_and_port(base_url):
    parts = urlsplit(base_url)
    return parts.hostname, parts.port or DEFAULT_PORTS.get(parts.scheme, 80)


def follow_base_url(**kwargs):
    """Gives the default Site the host and port of COP_BASE_URL (run after each `migrate`)."""
    hostname, port = hostname_and_port(settings.COP_BASE_URL)
    Site.objects.filter(is_default_site=True).exclude(hostname=hostname, port=port).update(
        hostname=hostname, port=port
    )
