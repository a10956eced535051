from django.db import models


class PublicationGeneration(models.Model):
    """One row naming the COP's current published state; the key of every cached fragment.

    In the database, not in a cache: each gunicorn worker has its own local memory, and a
    publication handled by one worker must invalidate the fragments of all of them.
    """

    token = models.CharField("jeton", max_length=32)

    class Meta:
        verbose_name = "génération de publication"
        verbose_name_plural = "générations de publication"

    def __str__(self):
        return self.token
