from django.contrib.auth.models import AbstractUser
from django.db import models


class Directory(models.TextChoices):
    """Where an account signs in: its password is the directory's, not the COP's."""

    LOCAL = "", "compte local"
    LDAP = "ldap", "annuaire LDAP"
    OIDC = "oidc", "authentification unique (OpenID Connect)"


class User(AbstractUser):
    """An agent of the city, who may belong to one or more services."""

    services = models.ManyToManyField(
        "axes.Service",
        blank=True,
        related_name="agents",
        verbose_name="services de l'agent",
        help_text="Les services dont l'agent retrouve les projets sous « Mon service ».",
    )
    directory = models.CharField(
        "annuaire", max_length=8, choices=Directory.choices, default=Directory.LOCAL, blank=True
    )
    directory_services = models.JSONField(
        "services dans l'annuaire",
        default=list,
        blank=True,
        help_text="Les valeurs de service que l'annuaire donnait à la dernière connexion.",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = "agent"
        verbose_name_plural = "agents"
