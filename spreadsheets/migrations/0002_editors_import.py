"""Editors import the services' spreadsheets (PRODUCT.md roles): they get the import permission."""

from django.db import migrations

GROUP = "Éditeurs"
CODENAME, NAME = "import_projects", "Peut importer un tableau de projets"


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="spreadsheets", model="spreadsheetrights")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=CODENAME, defaults={"name": NAME}
    )
    for group in Group.objects.filter(name=GROUP):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = Permission.objects.filter(content_type__app_label="spreadsheets", codename=CODENAME)
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("spreadsheets", "0001_initial"), ("editorial", "0002_roles_and_workflow")]

    operations = [migrations.RunPython(grant, revoke)]
