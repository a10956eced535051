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


class ChapterLength(models.Model):
    """The printed length of an axis's chapter, as the worker last counted it (lengths.py).

    Kept with the fingerprint of the version counted: editors read the last count at once, and
    whether a newer one is being made.
    """

    axis = models.OneToOneField(
        "axes.AxisPage", on_delete=models.CASCADE, primary_key=True, related_name="+", verbose_name="axe"
    )
    fingerprint = models.CharField("empreinte de la version comptée", max_length=64)
    page_count = models.PositiveSmallIntegerField("pages imprimées")
    counted_at = models.DateTimeField("compté le", auto_now=True)

    class Meta:
        verbose_name = "longueur d'un chapitre"
        verbose_name_plural = "longueurs des chapitres"

    def __str__(self):
        return f"{self.axis_id} : {self.page_count}"
