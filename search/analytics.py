"""What agents search for, and what they did not find, for the editors' search report."""

from django.db.models import F
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query

from .models import UnansweredQuery


def record_search(query_string, found):
    """Counts one search of `query_string`; returns its Query (for promoted results)."""
    query = Query.get(query_string)
    query.add_hit()
    if not found:
        now = timezone.now()
        counted = UnansweredQuery.objects.filter(query=query).update(hits=F("hits") + 1, last_searched_at=now)
        if not counted:
            UnansweredQuery.objects.create(query=query, hits=1, last_searched_at=now)
    return query


def promotions_for(query, reader):
    """The editors' promoted results for that search that the reader may read: never a draft."""
    return [
        promotion
        for promotion in query.editors_picks.select_related("page")
        if promotion.page is None or reader.sees(promotion.page)
    ]
