from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Indicateurs"
    # Read by the page cache (caching/): an indicator's publication renews the pages that show it.
    cop_publication_models = (
        "indicators.Indicator",
        "indicators.IndicatorValue",
        "indicators.IndicatorTarget",
    )
