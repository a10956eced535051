from django.db import models


class Edition(models.Model):
    """A named date of the COP, such as the edition mailed to the agents in March 2022."""

    name = models.CharField("nom", max_length=120, help_text="Par exemple « Édition de mars 2022 ».")
    date = models.DateField("date", help_text="Le COP tel qu'il était publié à la fin de ce jour.")
    description = models.TextField("description", blank=True)

    class Meta:
        verbose_name = "édition"
        verbose_name_plural = "éditions"
        ordering = ["-date"]

    def __str__(self):
        return self.name
