"""Every change that a reader could see names a new publication generation."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from axes.models import ProjectRelation, ProjectService, Service
from digests.models import Subscription

from . import publication

# Subscriptions, like an agent's groups and services below, change what the whole pages cached
# for that agent's session show (caching/pages.py): their forms, a référent's links. A view
# restriction changes which pages readers see (axes.readers).
CONTENT_MODELS = (Page, PageViewRestriction, Service, ProjectService, ProjectRelation, Subscription)

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


def personal_relations():
    user_model = get_user_model()
    return (
        user_model.groups.through,
        user_model.services.through,
        Group.permissions.through,
        PageViewRestriction.groups.through,
    )


@receiver(m2m_changed)
def personal_relation_changed(sender, action, **kwargs):
    if action.startswith("post_") and sender in personal_relations():
        publication.bump()
