from django.db import models

from wagtail.contrib.search_promotions.models import Query


class UnansweredQuery(models.Model):
    """How often a search found nothing: editors read these to add promoted results."""

    query = models.OneToOneField(
        Query, on_delete=models.CASCADE, primary_key=True, related_name="unanswered", verbose_name="recherche"
    )
    hits = models.PositiveIntegerField("recherches sans résultat", default=0)
    last_searched_at = models.DateTimeField("dernière recherche sans résultat")

    class Meta:
        verbose_name = "recherche sans résultat"
        verbose_name_plural = "recherches sans résultat"

    def __str__(self):
        return self.query.query_string
