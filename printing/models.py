from django.db import models


class PrintedVersion(models.Model):
    """The last version of each PDF that this database had written: what agents get while the worker
    writes the next one.

    Kept in the database rather than read from the files' dates: a restored backup, or a test's
    rolled-back transaction, must never be served a file written from content it never had.
    """

    stem = models.CharField("nom du fichier, sans son empreinte", max_length=200, primary_key=True)
    fingerprint = models.CharField("empreinte du contenu", max_length=64)
    written_at = models.DateTimeField("écrit le", auto_now=True)

    class Meta:
        verbose_name = "version imprimée"
        verbose_name_plural = "versions imprimées"

    def __str__(self):
        return f"{self.stem}-{self.fingerprint}"
