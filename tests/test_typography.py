import datetime

from django.template import Context, Template

import pytest

from utils.typography import NARROW_NBSP, NBSP, count, day, elide, plural, spacing


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0 résultat"), (1, "1 résultat"), (2, "2 résultats"), (12500, f"12{NARROW_NBSP}500 résultats")],
)
def test_counts_agree_in_french(value, expected):
    assert count(value, "résultat") == expected.replace(" résultat", f"{NBSP}résultat")


def test_irregular_plurals():
    assert plural(3, "journal", "journaux") == "journaux"
    assert plural(1, "journal", "journaux") == "journal"


def test_the_first_of_the_month_is_an_ordinal():
    assert day(datetime.date(2026, 4, 1)) == f"1er{NBSP}avril 2026"
    assert day(datetime.date(2026, 4, 2)) == f"2{NBSP}avril 2026"
    assert day(datetime.datetime(2026, 11, 1, 10, 30)) == f"1er{NBSP}novembre 2026"
    assert day(None) == ""


@pytest.mark.parametrize(
    ("article", "word", "expected"),
    [
        ("de", "Amy", "d’Amy"),
        ("de", "Simon", "de Simon"),
        ("de", "Hélène", "d’Hélène"),
        ("le", "agent", "l’agent"),
        ("De", "Éric", "D’Éric"),
    ],
)
def test_elision(article, word, expected):
    assert elide(article, word) == expected


def test_spacing_makes_the_typed_spaces_unbreakable_and_leaves_the_rest():
    assert spacing("Contact : « Mairie » ; oui ! Pourquoi ?") == (
        f"Contact{NBSP}: «{NBSP}Mairie{NBSP}»{NARROW_NBSP}; oui{NARROW_NBSP}! Pourquoi{NARROW_NBSP}?"
    )
    assert spacing("16:30, /recherche/?q=velo") == "16:30, /recherche/?q=velo"


def test_filters_in_templates():
    template = Template(
        '{% load typography %}{{ n|count:"résultat" }}|{{ n|plural:"journal,journaux" }}|'
        '{{ d|day }}|soumission {{ name|elide:"de" }}|{{ text|spacing }}'
    )
    rendered = template.render(
        Context({"n": 0, "d": datetime.date(2026, 4, 1), "name": "Amy", "text": "<b> : </b>"})
    )
    assert rendered == (
        f"0{NBSP}résultat|journal|1er{NBSP}avril 2026|soumission d’Amy|&lt;b&gt;{NBSP}: &lt;/b&gt;"
    )
