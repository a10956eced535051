from django.db import models


class EditorialRights(models.Model):  # noqa: DJ008 (never instantiated: no __str__ to show)
    """Carries the editorial permissions that belong to no table: Django hangs permissions on a model."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("propose_update", "Peut proposer une mise à jour des projets de ses services")]
        verbose_name = "droit éditorial"
        verbose_name_plural = "droits éditoriaux"
