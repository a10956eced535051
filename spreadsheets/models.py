from django.db import models


class SpreadsheetRights(models.Model):  # noqa: DJ008 (never instantiated: no __str__ to show)
    """Carries the import permission, which belongs to no table: Django hangs permissions on a model."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("import_projects", "Peut importer un tableau de projets")]
        verbose_name = "droit d'import"
        verbose_name_plural = "droits d'import"
