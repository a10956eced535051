from django.db import models

from modelcluster.fields import ParentalKey
from taggit.models import TagBase, TaggedItemBase

from utils.text import normalise_name


class ServiceQuerySet(models.QuerySet):
    def by_name(self):
        """Every service by its normalised name, its aliases and its slug, for matching the names
        that people and directories write ("relation usagers", "Relation-Usagers", "DRU"…).
        A name wins over an alias, and an alias over a slug, where two services would share one."""
        services = {}
        for service in self:
            for key in [service.slug, *service.alias_list()]:
                services.setdefault(normalise_name(key), service)
        for service in self:
            services[normalise_name(service.name)] = service
        return services


class Service(TagBase):
    """A service of the city: a controlled vocabulary that editors manage as a snippet."""

    # Editors pick services from the list; typing an unknown name must not create one.
    free_tagging = False

    direction = models.CharField("direction", max_length=255, blank=True)
    description = models.TextField("description", blank=True)
    email = models.EmailField("adresse électronique de contact", blank=True)
    aliases = models.TextField(
        "autres noms",
        blank=True,
        help_text=(
            "Un nom par ligne : les autres façons d'écrire ce service, dans l'annuaire de la ville "
            "(attribut de service des agents) ou dans les tableurs importés. Les majuscules et les "
            "accents ne comptent pas."
        ),
    )

    objects = ServiceQuerySet.as_manager()

    # What the read API (api/) writes of a service (not its aliases, which are for matching names).
    api_fields = ["name", "slug", "direction", "email", "description"]

    class Meta:
        verbose_name = "service"
        verbose_name_plural = "services"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


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
