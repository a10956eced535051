from django.db import models


class ProjectStatus(models.TextChoices):
    EN_PROJET = "en_projet", "En projet"
    ENGAGE = "engage", "Engagé"
    REALISE = "realise", "Réalisé"
    SUSPENDU = "suspendu", "Suspendu"
    ABANDONNE = "abandonne", "Abandonné"
