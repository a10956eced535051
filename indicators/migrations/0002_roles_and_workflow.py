"""The indicators go through the COP's workflow, as pages do: editors write them, moderators publish."""

from django.db import migrations

WORKFLOW = "Validation du COP"
PERMISSIONS = {
    "Éditeurs": ["add", "change"],
    "Modérateurs": ["add", "change", "publish", "lock", "unlock"],
}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="indicators", model="indicator")
    for group in Group.objects.filter(name__in=PERMISSIONS):
        group.permissions.add(
            *(
                Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_indicator",
                    defaults={"name": f"Can {action} indicateur"},
                )[0]
                for action in PERMISSIONS[group.name]
            )
        )
    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if workflow is not None:
        WorkflowContentType.objects.update_or_create(content_type=content_type, defaults={"workflow": workflow})


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    Permission.objects.filter(content_type__app_label="indicators").delete()
    WorkflowContentType.objects.filter(content_type__app_label="indicators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("editorial", "0002_roles_and_workflow"),
        ("wagtailcore", "0083_workflowcontenttype"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
