import re

from django.db import migrations, models


def reference_order(reference):
    """As axes.models.project.reference_order at the time of this migration."""
    return ".".join(f"0{part.zfill(20)}" if part.isdigit() else f"1{part}" for part in re.split(r"[.-]", reference))


def fill_reference_order(apps, schema_editor):
    ProjectPage = apps.get_model("axes", "ProjectPage")
    projects = list(ProjectPage.objects.only("reference"))
    for project in projects:
        project.reference_order = reference_order(project.reference)
    ProjectPage.objects.bulk_update(projects, ["reference_order"])


class Migration(migrations.Migration):
    dependencies = [
        ("axes", "0003_service_aliases"),
    ]

    operations = [
        migrations.AddField(
            model_name="projectpage",
            name="reference_order",
            field=models.CharField(default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fill_reference_order, migrations.RunPython.noop),
    ]
