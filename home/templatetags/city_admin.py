"""The admin in the city's colours: Wagtail 8 builds its palette from a hue, a saturation and a lightness."""

import colorsys

from django import template
from django.utils.html import format_html

from ..models import HEX_COLOUR, CityIdentity

register = template.Library()

# The site's own blue, where the city set no colour (home.CityIdentity.primary_colour).
DEFAULT_COLOUR = "#0b4f8a"


def hsl_properties(prefix, colour):
    """`--w-color-primary-hue: 208.0; …` for a `#rrggbb` colour."""
    red, green, blue = (int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    return (
        f"--w-color-{prefix}-hue: {hue * 360:.1f}; "
        f"--w-color-{prefix}-saturation: {saturation * 100:.1f}%; "
        f"--w-color-{prefix}-lightness: {lightness * 100:.1f}%;"
    )


def valid(colour):
    return colour if colour and HEX_COLOUR.match(colour) else None


@register.simple_tag(takes_context=True)
def city_admin_colours(context):
    """A style element giving the admin the city's colours: the primary one for the menu, the accent
    (or the primary) for buttons and links. Both carry white text at 4.5:1 at least (CityIdentity's
    validator), as Wagtail's own purple and teal do."""
    identity = CityIdentity.for_request(context["request"])
    primary = valid(identity.primary_colour) or DEFAULT_COLOUR
    accent = valid(identity.accent_colour) or primary
    properties = f"{hsl_properties('primary', primary)} {hsl_properties('secondary', accent)}"
    return format_html("<style>:root {{ {} }}</style>", properties)
