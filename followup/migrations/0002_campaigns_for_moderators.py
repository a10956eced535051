"""Moderators open, edit and close the update campaigns (administrators alone delete one)."""

from django.db import migrations

CAMPAIGN_PERMISSIONS = [
    ("add", "Can add campagne de mise à jour"),
    ("change", "Can change campagne de mise à jour"),
    ("view", "Can view campagne de mise à jour"),
]
GROUPS = ["Modérateurs"]


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    content_type, _ = ContentType.objects.get_or_create(app_label="followup", model="campaign")
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type, codename=f"{action}_campaign", defaults={"name": name}
        )[0]
        for action, name in CAMPAIGN_PERMISSIONS
    ]
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = Permission.objects.filter(content_type__app_label="followup", content_type__model="campaign")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial"), ("editorial", "0002_roles_and_workflow")]

    operations = [migrations.RunPython(grant, revoke)]
