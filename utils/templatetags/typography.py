"""French typography in templates (utils/typography.py): `{{ total|count:"résultat" }}`,
`{{ total|plural:"projet" }}`, `{{ date|day }}`, `{{ datetime|moment }}`, `{{ name|elide:"de" }}`,
`{{ text|spacing }}`."""

from django import template

from utils import typography

register = template.Library()


def forms(argument):
    """ "cheval,chevaux" → ("cheval", "chevaux"); "projet" → ("projet", None)."""
    singular, _, plural_form = argument.partition(",")
    return singular, plural_form or None


@register.filter
def count(value, argument):
    return typography.count(int(value or 0), *forms(argument))


@register.filter
def plural(value, argument):
    return typography.plural(int(value or 0), *forms(argument))


@register.filter(expects_localtime=True)
def day(value):
    return typography.day(value)


@register.filter(expects_localtime=True)
def moment(value):
    return typography.moment(value)


@register.filter
def elide(value, article):
    return typography.elide(article, value)


@register.filter(is_safe=True)
def spacing(value):
    return typography.spacing(value)
