"""Every change that any reader could see names a new publication generation; a change that only
its agent sees, in their own pages, names a new generation of that agent's pages alone."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from axes.models import ProjectRelation, ProjectService, Service
from digests.models import Subscription
from home.models import CityIdentity

from . import publication

# A view restriction changes which pages readers see (axes.readers). A deleted group takes its
# members and its restrictions with it, with no m2m signal. The city's identity shows on every page.
CONTENT_MODELS = (Page, PageViewRestriction, Service, ProjectService, ProjectRelation, Group, CityIdentity)

# What saving a draft, a comment or a lock writes on the live page's row: nothing readers see.
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
    if not isinstance(instance, CONTENT_MODELS):
        return
    if update_fields and isinstance(instance, Page) and update_fields <= DRAFT_FIELDS:
        return
    publication.bump()


@receiver(post_delete)
def content_deleted(sender, instance, **kwargs):
    if isinstance(instance, CONTENT_MODELS):
        publication.bump()


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def page_changed(sender, **kwargs):
    publication.bump()


@receiver(post_save, sender=Subscription)
@receiver(post_delete, sender=Subscription)
def subscription_changed(sender, instance, **kwargs):
    """A subscription shows in its agent's pages only, in their subscription forms."""
    publication.renew_agents([instance.user_id])


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
