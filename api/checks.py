"""System checks for the API's settings: a rate that the throttle could not read would answer
every request with a 500."""

import re

from django.conf import settings
from django.core import checks

# As DRF's SimpleRateThrottle reads it: a number of requests per second, minute, hour or day.
RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


@checks.register()
def check_api_rate(app_configs, **kwargs):
    rate = settings.COP_API_RATE
    if isinstance(rate, str) and RATE.match(rate):
        return []
    return [
        checks.Error(
            f"COP_API_RATE ne se lit pas comme un débit : {rate!r}.",
            hint=(
                "Un nombre de requêtes par jeton et par période, par exemple 1000/hour, 100/minute "
                "ou 10000/day."
            ),
            id="api.E001",
        )
    ]
