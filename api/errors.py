"""The API's refusals in French: Wagtail raises its own in English, which these patterns translate."""

import re

from wagtail.api.v2.utils import BadRequestError


class Refusal(BadRequestError):
    """A 400 of the COP's own, its message already in French."""


TRANSLATIONS = [
    (
        r"type doesn't exist",
        "Type de page inconnu : les types sont axes.HomePage, axes.AxisPage, "
        "axes.AmbitionPage et axes.ProjectPage.",
    ),
    (r"fields error: (?P<detail>.*)", "Paramètre fields mal formé ({detail})."),
    (r"unknown fields: (?P<names>.*)", "Champs inconnus pour ce type : {names}."),
    (r"'(?P<name>.*)' does not support nested fields", "Le champ « {name} » n'a pas de sous-champs."),
    (
        r"field filter error\. '(?P<value>.*)' is not a valid value for (?P<name>\w+).*",
        "Valeur invalide pour le filtre {name} : « {value} ».",
    ),
    (r"field filter error\. null characters .*", "Un paramètre ne peut pas contenir de caractère nul."),
    (r"cannot order by '(?P<name>.*)' \(unknown field\)", "Tri impossible sur « {name} » : champ inconnu."),
    (r"cannot order by '(?P<name>.*)' \(invalid field\)", "Tri impossible sur « {name} »."),
    (
        r"random ordering cannot be combined with other fields",
        "Le tri aléatoire ne se combine à aucun autre.",
    ),
    (r"random ordering with offset is not supported", "Le tri aléatoire ne se combine pas avec offset."),
    (
        r"(?P<name>child_of|descendant_of|ancestor_of|translation_of) must be a positive integer",
        "{name} attend l'identifiant d'une page (un entier positif).",
    ),
    (
        r"(parent|descendant|ancestor|translation_of) page doesn't exist",
        "Aucune page lisible ne porte cet identifiant.",
    ),
    (
        r"filtering by descendant_of with child_of is not supported",
        "descendant_of ne se combine pas avec child_of.",
    ),
    (r"search is disabled", "La recherche n'est pas ouverte."),
    (
        r"filtering by tag with a search query is not supported",
        "Le filtre services ne se combine pas avec search.",
    ),
    (
        r"cannot (filter|order) by '(?P<name>.*)' while searching.*",
        "Le champ « {name} » ne se combine pas avec search.",
    ),
]
PATTERNS = [(re.compile(pattern), french) for pattern, french in TRANSLATIONS]


def french(error):
    """The message of a BadRequestError in French: ours as they are, Wagtail's translated, an unknown
    one of Wagtail's with its own words."""
    message = str(error)
    if isinstance(error, Refusal):
        return message
    for pattern, translation in PATTERNS:
        if match := pattern.fullmatch(message):
            return translation.format(**match.groupdict())
    return f"Requête invalide : {message}"
