from django.core.exceptions import ValidationError
from django.db import models

from wagtail.contrib.search_promotions.models import Query

from utils.text import fold


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


class SynonymGroup(models.Model):
    """Words, phrases and acronyms that mean the same thing to agents: a search for one finds them all."""

    terms = models.TextField(
        "termes équivalents",
        help_text=(
            "Les mots, expressions ou sigles qui désignent la même chose, séparés par des virgules : "
            "« CCAS, centre communal d'action sociale ». Une recherche de l'un trouve aussi les autres, "
            "au singulier comme au pluriel, avec ou sans accents."
        ),
    )

    class Meta:
        verbose_name = "groupe de synonymes"
        verbose_name_plural = "synonymes et sigles"
        ordering = ["terms"]

    def __str__(self):
        return ", ".join(self.term_list)

    @property
    def term_list(self):
        return split_terms(self.terms)

    def clean(self):
        terms = self.term_list
        if len({fold(term) for term in terms}) < 2:
            raise ValidationError(
                {"terms": "Indiquez au moins deux termes différents, séparés par des virgules."}
            )
        if too_long := [term for term in terms if len(term) > MAX_TERM_LENGTH]:
            raise ValidationError(
                {
                    "terms": f"« {too_long[0][:40]}… » dépasse {MAX_TERM_LENGTH} caractères : "
                    "un terme est un mot ou une courte expression."
                }
            )
        self.terms = ", ".join(terms)


MAX_TERM_LENGTH = 80


def split_terms(text):
    """The terms of a group, as the editor wrote them, without blanks or repeats."""
    terms = []
    for term in text.replace(";", ",").replace("\n", ",").split(","):
        term = " ".join(term.split())
        if term and fold(term) not in {fold(known) for known in terms}:
            terms.append(term)
    return terms
