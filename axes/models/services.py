from django.db import models

from modelcluster.fields import ParentalKey
from taggit.models import TagBase, TaggedItemBase


class Service(TagBase):
    """A service of the city: a controlled vocabulary that editors manage as a snippet."""

    # Editors pick services from the list; typing an unknown name must not create one.
    free_tagging = False

    direction = models.CharField("direction", max_length=255, blank=True)
    description = models.TextField("description", blank=True)
    email = models.EmailField("adresse électronique de contact", blank=True)

    class Meta:
        verbose_name = "service"
        verbose_name_plural = "services"
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProjectService(TaggedItemBase):
    """Links a project to one of the services involved in it (the pilot included)."""

    tag = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="project_links",
        verbose_name="service",
    )
    content_object = ParentalKey(
        "axes.ProjectPage",
        on_delete=models.CASCADE,
        related_name="service_links",
        verbose_name="projet",
    )

    class Meta:
        verbose_name = "service du projet"
        verbose_name_plural = "services du projet"
