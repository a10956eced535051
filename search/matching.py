"""Which pages match the concepts of a query, best first, and which come close.

On PostgreSQL (production, the tests), the full-text match is written here against the search
index's vectors (`title || body`, the expression that `0003_index_entry_text_gin` indexes), so that
the order can be stated: a match in the title first, then in the summary, then elsewhere (body,
services) by rank. Close results add the pages that match some of the concepts, titles and
services spelt nearly so (pg_trgm), and words that start so. Elsewhere (the SQLite quickstart),
Wagtail's backend runs the same concepts, ordered by its own rank, without spelling tolerance.
"""

from django.contrib.postgres.lookups import Unaccent
from django.contrib.postgres.search import (
    SearchQueryField,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import BooleanField, Case, F, Func, TextField, Value, When
from django.db.models.expressions import CombinedExpression, RawSQL
from django.db.models.functions import Coalesce, Lower

from modelsearch.query import And, Or, Phrase, PlainText
from wagtail.search.backends import get_search_backend

from axes.models import ProjectService, Service
from utils.text import fold

from .backend import SEARCH_CONFIG, FrenchPostgresSearchBackend
from .french import forms
from .text import WORD

# Close results are looked for when the full matches are fewer than this, and this many are shown.
FEW = 5
CLOSE = 5
# How alike a title or a service's name must be to the query (pg_trgm's word similarity, 0 to 1):
# "mediateque" is 0.73 of "Médiathèque", a word that merely shares two letters about 0.3.
SIMILARITY = 0.5


def once(query):
    """A text query, (sql, params), worked out once per search, not once per row that it is
    compared with: an uncorrelated sub-select, which PostgreSQL runs once (an InitPlan). Written as
    SQL: Django's search expressions, resolved anew wherever the query appears, cost more than the
    search itself."""
    sql, params = query
    return RawSQL(f"(SELECT {sql})", params, output_field=SearchQueryField())


class Unaccented(Func):
    """A text without its accents, as the titles' trigram index reads them (`0006_trigram`)."""

    function = "cop_unaccent"
    output_field = TextField()


class NearlyIn(Func):
    """`text <% other`: a part of `other` is spelt nearly as `text` (pg_trgm's word similarity at
    least `pg_trgm.word_similarity_threshold`), the condition that the trigram index serves."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


class Matches(Func):
    """`vector @@ query`, as a condition."""

    arg_joiner = " @@ "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def on_postgres():
    return isinstance(get_search_backend(), FrenchPostgresSearchBackend)


def full_matches(pages, concepts):
    """The pages that match every concept, best first."""
    if on_postgres():
        query = once(joined([tsquery(concept) for concept in concepts], "&&"))
        return by_rank(matching(pages, query), query)
    return pages.search(And([any_alternative(concept) for concept in concepts])).get_queryset()


def close_matches(pages, concepts, terms, excluded):
    """Up to CLOSE pages that come close to the query, best first, none of `excluded` (the pks
    already shown): a title or a service spelt nearly so (a typo), some of the concepts matched,
    words that start so."""
    pages = pages.exclude(id__in=excluded)
    found = []
    for candidates in (nearly_spelt_titles, nearly_spelt_services, some_concepts, starting_so):
        for row in candidates(pages, concepts, terms):
            if len(found) == CLOSE:
                return found
            if row[0] not in excluded:
                found.append(row)
                excluded = {*excluded, row[0]}
    return found


def some_concepts(pages, concepts, terms):
    """Pages that match some of the concepts, those that match the most first."""
    if len(concepts) < 2:
        return []
    if not on_postgres():
        some = Or([any_alternative(concept) for concept in concepts])
        return rows(pages.search(some).get_queryset()[:CLOSE])
    queries = [tsquery(concept) for concept in concepts]
    query = once(joined(queries, "||"))
    matched = sum(
        (Case(When(Matches(F("document"), once(each)), then=1), default=0) for each in queries),
        Value(0),
    )
    found = matching(pages, query).annotate(matched=matched, rank=rank(query))
    return rows(found.order_by("-matched", "-rank", "path"))[:CLOSE]


def nearly_spelt_titles(pages, concepts, terms):
    """Pages whose title is spelt nearly as the query, a typo aside, from the titles' trigram
    index (`0006_trigram`)."""
    if not on_postgres():
        return []
    typed = typed_text(concepts)
    title = Unaccented(Lower("title"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)", [str(SIMILARITY)])
    found = pages.filter(NearlyIn(Value(typed), title)).annotate(
        similarity=TrigramWordSimilarity(Value(typed), title)
    )
    return rows(found.order_by("-similarity", "path"))[:CLOSE]


def nearly_spelt_services(pages, concepts, terms):
    """The projects of the services whose name is spelt nearly as the query (about 30 names)."""
    if not on_postgres():
        return []
    similarity = TrigramWordSimilarity(Value(typed_text(concepts)), Unaccent(Lower("name")))
    services = Service.objects.alias(similarity=similarity).filter(similarity__gte=SIMILARITY)
    similar = list(services.values_list("pk", flat=True))
    if not similar:
        return []
    # The services' ids as values: in a sub-select, PostgreSQL plans the whole COP's projects around them.
    projects = ProjectService.objects.filter(tag_id__in=similar).values("content_object_id")
    return rows(pages.filter(pk__in=projects).order_by("path"))[:CLOSE]


def typed_text(concepts):
    return fold(" ".join(concept.typed for concept in concepts))


def starting_so(pages, concepts, terms):
    """Pages with words that start as the query's do ("appli" for "application")."""
    return rows(pages.autocomplete(terms).get_queryset()[:CLOSE])


def rows(pages):
    return pages.values_list("pk", "path", "projectpage__status")


def words_and_phrases(concept):
    """Every form of the concept's one-word alternatives, and its others as phrases (words only:
    SQLite's full-text syntax would read punctuation as its own)."""
    alternatives = [WORD.findall(term) for term in concept.alternatives]
    words = [form for words in alternatives if len(words) == 1 for form in forms(words[0])]
    phrases = [" ".join(words) for words in alternatives if len(words) > 1]
    return words, phrases


def any_alternative(concept):
    """The concept as Wagtail's backend reads it: any form of any of its alternatives."""
    words, phrases = words_and_phrases(concept)
    return Or([PlainText(word) for word in words] + [Phrase(phrase) for phrase in phrases])


def tsquery(concept):
    """The concept as a PostgreSQL text query, (sql, params): any form of any of its alternatives."""
    words, phrases = words_and_phrases(concept)
    parts = [("plainto_tsquery(%s::regconfig, %s)", [SEARCH_CONFIG, word]) for word in words]
    parts += [("phraseto_tsquery(%s::regconfig, %s)", [SEARCH_CONFIG, phrase]) for phrase in phrases]
    return joined(parts, "||")


def joined(parts, operator):
    """(sql, params) pairs as one: `(a || b)`."""
    return (
        "(" + f" {operator} ".join(sql for sql, _ in parts) + ")",
        [param for _, params in parts for param in params],
    )


def matching(pages, query):
    document = CombinedExpression(F("index_entries__title"), "||", F("index_entries__body"))
    return pages.annotate(document=document).filter(Matches(F("document"), query))


def rank(query):
    """Wagtail's rank: the title's (weighed by its length against the average title's), plus the rest's."""
    return SearchRank(F("index_entries__title"), query) * F("index_entries__title_norm") + SearchRank(
        F("index_entries__body"), query
    )


def by_rank(pages, query):
    """A match in the title first, then in the summary (a project's, or an axis's or ambition's
    introduction), then by rank."""
    in_title = Case(When(Matches(F("index_entries__title"), query), then=1), default=0)
    summary = SearchVector(
        Coalesce("projectpage__summary", "ambitionpage__intro", "axispage__intro", output_field=TextField()),
        config=SEARCH_CONFIG,
    )
    in_summary = Case(When(Matches(summary, query), then=1), default=0)
    return pages.annotate(in_title=in_title, in_summary=in_summary, rank=rank(query)).order_by(
        "-in_title", "-in_summary", "-rank", "path"
    )
