from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """An agent of the city, who may belong to one or more services."""

    services = models.ManyToManyField(
        "axes.Service",
        blank=True,
        related_name="agents",
        verbose_name="services de l'agent",
        help_text="Les services dont l'agent retrouve les projets sous « Mon service ».",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = "agent"
        verbose_name_plural = "agents"
