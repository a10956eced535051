"""What the agent asked for, read with the editors' thesaurus: each idea of the query with its synonyms.

"seniors isolés" reads as two concepts: {seniors, personnes âgées} and {isolés}. A result must match
every concept (any of its alternatives, any form of their words) to be a full match; the words of
a synonym of several words are found together, as a phrase.
"""

from dataclasses import dataclass, field

from utils.text import fold

from .french import singular
from .models import SynonymGroup, split_terms
from .text import STOP_WORDS, WORD

# Bounds the SQL of one search: 120 characters hold about this many words that are not stop words.
MAX_CONCEPTS = 16


@dataclass
class Concept:
    """One idea of the query: the words typed, and the terms that mean the same (the typed ones included)."""

    typed: str
    alternatives: list = field(default_factory=list)

    @property
    def synonyms(self):
        """The alternatives other than what was typed: what the results page tells the agent."""
        typed = key_of(WORD.findall(self.typed))
        return [term for term in self.alternatives if key_of(WORD.findall(term)) != typed]


def key_of(words):
    """How a term is recognised: folded, singular, without stop words ("Personnes âgées" → personne age)."""
    return tuple(singular(folded) for folded in map(fold, words) if folded not in STOP_WORDS)


class Thesaurus:
    """The editors' synonym groups, by the key of each of their terms."""

    def __init__(self, groups):
        self.terms = {}
        for terms in groups:
            alternatives = split_terms(terms)
            for term in alternatives:
                if key := key_of(WORD.findall(term)):
                    known = self.terms.setdefault(key, [])
                    known += [other for other in alternatives if other not in known]
        self.longest = max(map(len, self.terms), default=0)

    @classmethod
    def load(cls):
        return cls(SynonymGroup.objects.values_list("terms", flat=True))

    def understand(self, query):
        """The concepts of `query`, its longest known terms first: "centre communal d'action sociale"
        is one concept (with CCAS), not four."""
        typed = WORD.findall(query)
        places = [place for place, word in enumerate(typed) if fold(word) not in STOP_WORDS]
        words = [typed[place] for place in places]
        concepts, start = [], 0
        while start < len(words) and len(concepts) < MAX_CONCEPTS:
            length, alternatives = self.longest_term_at(words, start)
            # As typed, the stop words inside it included: "centre communal d action sociale".
            text = " ".join(typed[places[start] : places[start + length - 1] + 1])
            concepts.append(Concept(text, alternatives or [text]))
            start += length
        return concepts

    def longest_term_at(self, words, start):
        for length in range(min(self.longest, len(words) - start), 0, -1):
            if alternatives := self.terms.get(key_of(words[start : start + length])):
                return length, alternatives
        return 1, None
