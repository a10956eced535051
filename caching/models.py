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


class AgentGeneration(models.Model):
    """Names what one agent's whole cached pages show of that agent (caching/pages.py): their
    subscriptions, groups, services and account. A change to one of them names a new one, in the
    same transaction, and leaves every other agent's cached pages alone.

    The agent's id without a foreign key: deleting an agent deletes their subscriptions, which
    renew the generation of an agent about to disappear.
    """

    agent_id = models.BigIntegerField("identifiant de l'agent", primary_key=True)
    token = models.CharField("jeton", max_length=32)

    class Meta:
        verbose_name = "génération des pages d'un agent"
        verbose_name_plural = "générations des pages des agents"

    def __str__(self):
        return self.token
