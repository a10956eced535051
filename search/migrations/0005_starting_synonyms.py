"""A first thesaurus of the city's words and acronyms, which editors and moderators then manage."""

from django.db import migrations

STARTING_GROUPS = [
    "seniors, personnes âgées, aînés, retraités",
    "vélo, cyclable, bicyclette, cycliste",
    "jeunes, jeunesse, adolescents",
    "handicap, situation de handicap, PMR, personnes à mobilité réduite",
    "démarches en ligne, téléservices, e-administration",
    "déchets, ordures, propreté",
    "arbres, végétalisation, espaces verts",
    "stationnement, parking",
    "médiathèque, bibliothèque",
    "CCAS, centre communal d'action sociale",
    "PLU, plan local d'urbanisme",
    "RSA, revenu de solidarité active",
    "EHPAD, établissement d'hébergement pour personnes âgées dépendantes",
    "QPV, quartier prioritaire, quartiers prioritaires de la politique de la ville",
    "CLSPD, conseil local de sécurité et de prévention de la délinquance",
    "DRH, ressources humaines, RH",
    "DSI, système d'information, informatique",
    "PPI, plan pluriannuel d'investissement",
    "ALSH, accueil de loisirs, centre de loisirs",
    "ENT, espace numérique de travail",
]
EDITORS_AND_MODERATORS = ["Éditeurs", "Modérateurs"]
PERMISSIONS = [(action, f"Can {action} groupe de synonymes") for action in ("add", "change", "delete")]


def create(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    if not SynonymGroup.objects.exists():
        SynonymGroup.objects.bulk_create(SynonymGroup(terms=terms) for terms in STARTING_GROUPS)
    grant(apps)


def grant(apps):
    """Permissions of a model migrated in the same run only exist once post_migrate has run: created here."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="search", model="synonymgroup")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type, codename=f"{action}_synonymgroup", defaults={"name": name}
        )[0]
        for action, name in PERMISSIONS
    ]
    for group in Group.objects.filter(name__in=EDITORS_AND_MODERATORS):
        group.permissions.add(*permissions)


def remove(apps, schema_editor):
    apps.get_model("search", "SynonymGroup").objects.filter(terms__in=STARTING_GROUPS).delete()


class Migration(migrations.Migration):
    # The roles are the editorial app's groups: they exist once its migration has run.
    dependencies = [("search", "0004_synonym_group"), ("editorial", "0002_roles_and_workflow")]

    operations = [migrations.RunPython(create, remove)]
