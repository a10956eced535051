"""The COP root page joins the domain: axes.HomePage keeps the table home_homepage, and the rows that
name its content type (pages, revisions, log entries) follow the renamed content type."""

import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="home", target="axes"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=source, model="homepage").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="axes", target="home")


class Migration(migrations.Migration):
    dependencies = [
        ("axes", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("home", "0002_create_homepage"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HomePage",
                    fields=[
                        (
                            "page_ptr",
                            models.OneToOneField(
                                auto_created=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                parent_link=True,
                                primary_key=True,
                                serialize=False,
                                to=settings.WAGTAIL_PAGE_MODEL,
                            ),
                        ),
                        ("intro", wagtail.fields.RichTextField(blank=True, verbose_name="introduction")),
                    ],
                    options={
                        "verbose_name": "page d'accueil du COP",
                        "verbose_name_plural": "pages d'accueil du COP",
                        "db_table": "home_homepage",
                    },
                    bases=("wagtailcore.page",),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
