"""The COP's publication generation, changed by every publication, and each agent's own (the
subscriptions, groups and services that their pages show): both read once per request, in one query."""

import uuid

from django.conf import settings
from django.db.models import Subquery

from .models import AgentGeneration, PublicationGeneration

SINGLETON = 1
# What is cached under a generation changes key with each publication: the timeout only frees memory
# from old keys (and bounds what a change made behind the signals' back, in raw SQL, could leave stale).
CACHE_SECONDS = 60 * 60


def bump():
    """Names a new generation, inside the caller's transaction: readers see it with the content.

    A random token rather than a counter: a counter would come back to an old value after a
    rolled-back transaction or a restored backup, and meet fragments cached for other content.
    """
    token = uuid.uuid4().hex
    if not PublicationGeneration.objects.filter(pk=SINGLETON).update(token=token):
        PublicationGeneration.objects.update_or_create(pk=SINGLETON, defaults={"token": token})


def renew_agents(agent_ids):
    """Names a new generation of these agents' own pages, inside the caller's transaction, as
    `bump` does for everyone's."""
    AgentGeneration.objects.bulk_create(
        [AgentGeneration(agent_id=agent_id, token=uuid.uuid4().hex) for agent_id in agent_ids],
        update_conflicts=True,
        unique_fields=["agent_id"],
        update_fields=["token"],
    )


def current(request):
    """The generation this request reads, one query at most.

    Read before the content that it keys: a publication committed in between then leaves an
    obsolete key behind, never fresh-looking fragments of old content.
    """
    return generations(request)[0]


def of_agent(request):
    """The generation of the signed-in agent's own pages ("" until one is named), read with `current`."""
    return generations(request)[1]


def generations(request):
    if not settings.COP_PAGE_CACHE:
        return ("", "")  # nothing is cached: no key to build
    if not hasattr(request, "_cop_generations"):
        user = getattr(request, "user", None)
        agent_id = user.pk if user is not None and user.is_authenticated else None
        request._cop_generations = read_generations(agent_id)
    return request._cop_generations


def read_generations(agent_id):
    agent_token = AgentGeneration.objects.filter(agent_id=agent_id).values("token")
    row = (
        PublicationGeneration.objects.filter(pk=SINGLETON).values_list("token", Subquery(agent_token)).first()
    )
    return tuple(token or "" for token in row) if row else ("", "")
