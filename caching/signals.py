"""Every change that any reader could see names a new publication generation; a change that only
its agent sees, in their own pages, names a new generation of that agent's pages alone."""

from functools import cache

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction, RevisionMixin, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import publication

# A view restriction changes which pages readers see (axes.readers). A deleted group takes its
# members and its restrictions with it, with no m2m signal. The default site's root page is the
# current COP (axes/cops.py): choosing another changes every page. Each app adds the models whose rows
# readers see (`cop_publication_models` on its AppConfig, e.g. axes's services, home's identity).
BASE_CONTENT_MODELS = (Page, PageViewRestriction, Group, Site)


def declared(attribute):
    """What the installed apps declare on their AppConfig under `attribute`, in one list."""
    return [item for config in apps.get_app_configs() for item in getattr(config, attribute, ())]


@cache
def content_models():
    """Every model whose rows a reader sees: saving or deleting one names a new publication."""
    return BASE_CONTENT_MODELS + tuple(apps.get_model(label) for label in declared("cop_publication_models"))


@cache
def agent_models():
    """{model: the field naming its agent} for rows that only their agent sees (`cop_agent_models`)."""
    return {
        apps.get_model(label): field
        for config in apps.get_app_configs()
        for label, field in getattr(config, "cop_agent_models", {}).items()
    }


# What saving a draft, a comment or a lock writes on the live row of a page, or of a snippet with
# revisions (an indicator): nothing readers see.
DRAFT_FIELDS = frozenset(
    {
        "comments",
        "wagtail_admin_comments",
        "draft_title",
        "has_unpublished_changes",
        "latest_revision",
        "latest_revision_created_at",
        "locked",
        "locked_at",
        "locked_by",
    }
)

SIGN_IN_FIELDS = frozenset({"last_login"})


@receiver(post_save)
def content_saved(sender, instance, update_fields=None, **kwargs):
    if not isinstance(instance, content_models()):
        return
    if update_fields and isinstance(instance, RevisionMixin) and update_fields <= DRAFT_FIELDS:
        return
    publication.bump()


@receiver(post_delete)
def content_deleted(sender, instance, **kwargs):
    if isinstance(instance, content_models()):
        publication.bump()


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def page_changed(sender, **kwargs):
    publication.bump()


@receiver(post_save)
@receiver(post_delete)
def agent_row_changed(sender, instance, **kwargs):
    """A row that shows in its agent's pages only (a subscription, in their subscription forms)."""
    if (agent_field := agent_models().get(sender)) is not None:
        publication.renew_agents([getattr(instance, agent_field)])


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def account_saved(sender, instance, update_fields=None, **kwargs):
    """The header names the agent; signing in only stamps the time."""
    if update_fields != SIGN_IN_FIELDS:
        publication.renew_agents([instance.pk])


def readers_relations():
    """What every member of a group may do or see."""
    return (Group.permissions.through, PageViewRestriction.groups.through)


def agent_relations():
    """What one agent may do or see (axes.readers), and their services (a référent's links)."""
    user_model = get_user_model()
    return (user_model.groups.through, user_model.user_permissions.through, user_model.services.through)


@receiver(m2m_changed)
def relation_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if sender in readers_relations():
        publication.bump()
    elif sender in agent_relations():
        agents_changed(instance, reverse, pk_set)


def agents_changed(instance, reverse, pk_set):
    if not reverse:
        publication.renew_agents([instance.pk])
    elif pk_set is not None:
        publication.renew_agents(pk_set)  # agents given to, or taken from, a group or a service
    else:
        publication.bump()  # a group or a service emptied at once: its former agents are unknown
