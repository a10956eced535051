"""HomePage now belongs to axes (axes/migrations/0002_homepage), which keeps its table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_city_identity"),
        ("axes", "0002_homepage"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="HomePage")],
            database_operations=[],
        ),
    ]
