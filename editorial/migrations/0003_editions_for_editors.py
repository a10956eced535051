"""Editors and moderators manage the editions (named dates of the COP) offered on the compare page."""

from django.db import migrations

EDITION_PERMISSIONS = [("add", "Can add édition"), ("change", "Can change édition"), ("delete", "Can delete édition")]
GROUPS = ["Éditeurs", "Modérateurs"]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="history", model="edition")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type, codename=f"{action}_edition", defaults={"name": name}
        )[0]
        for action, name in EDITION_PERMISSIONS
    ]
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = Permission.objects.filter(content_type__app_label="history", content_type__model="edition")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("editorial", "0002_roles_and_workflow"), ("history", "0001_initial")]

    operations = [migrations.RunPython(grant, revoke)]
