"""French words as agents type them: the singular and plural, masculine and feminine forms of a word.

The Snowball stemmer of PostgreSQL's French configuration reads words once their accents are gone
(`cop_french`), and then misses some plurals: it keeps the s of "velos" (an s after a vowel), and
"isolées" becomes "isole" where "isolés" becomes "isol". SQLite's index (the quickstart) does not
stem at all. So the query asks for every form of each word the agent typed, on both databases: no
index to rebuild, and the texts are indexed as written.
"""

from functools import lru_cache

from utils.text import fold

# Endings of the plural, and what remains of the word without them: longest first.
PLURALS = (("eaux", "eau"), ("eux", "eu"), ("oux", "ou"), ("s", ""))
# Words whose last letters only look like a plural: the singular would be another word.
INVARIABLE = {"fois", "mois", "pays", "plus", "temps", "corps", "gens", "prix", "voix", "choix", "croix"}
SHORTEST_STEM = 3
ACRONYM = 4  # "CCAS", "ANRU": capitals this short are an acronym, not a shouted word


@lru_cache(maxsize=8192)
def singular(word):
    """The masculine singular that a folded word most likely comes from: "velos" → "velo",
    "isolees" → "isole", "jeux" → "jeu"; short and invariable words as they are."""
    if word in INVARIABLE:
        return word
    for ending, replacement in PLURALS:
        if word.endswith(ending) and len(word) - len(ending) + len(replacement) >= SHORTEST_STEM:
            word = word[: -len(ending)] + replacement
            break
    if word.endswith("ee") and len(word) > SHORTEST_STEM:
        word = word[:-1]  # the feminine of a word in é
    return word


@lru_cache(maxsize=8192)
def forms(word):
    """The word folded, with its singular and plurals (and feminine, where é may have been): what
    a search for it asks for. "vélos" → ("velo", "velos"); "isolés" → ("isole", "isolee", …)."""
    folded = fold(word)
    if len(folded) <= SHORTEST_STEM or not folded.isalpha() or (word.isupper() and len(word) <= ACRONYM):
        return (folded,)  # "bus", "PLU", "CCAS", "16.2": no plural to guess ("plus" is another word)
    base = singular(folded)
    found = {folded, base}
    if not base.endswith(("s", "x", "z")):
        found.add(base + "s")
    if base.endswith(("eau", "eu", "ou")):
        found.add(base + "x")
    if base.endswith("e"):
        found |= {base + "e", base + "es"}
    return tuple(sorted(found))
