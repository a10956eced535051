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
    # The reading pages, kept whole in the page cache until the next publication (caching/pages.py).
    cop_whole_page_views = ("indicator_list", "indicator_detail")

    def ready(self):
        from axes.demo.builder import demo_cop_loaded

        from .demo import load_demo_indicators

        demo_cop_loaded.connect(load_demo_indicators, dispatch_uid="indicators_demo")
