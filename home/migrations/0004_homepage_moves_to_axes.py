"""HomePage now belongs to axes (axes/migrations/0002_homepage), which keeps its table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_city_identity"),
        ("axes", "0002_homepage"),
        # Reads home.HomePage from the migration state, which must still hold it then.
        ("editorial", "0002_roles_and_workflow"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="HomePage")],
            database_operations=[],
        ),
    ]
