"""The page editor sees a change only where the editor made one.

Wagtail decides from `form.has_changed()` whether approving from the page editor saves a new
revision. Two of its form fields report changes that nobody made: rich text, which Draftail writes
back with a new `data-block-key` on every block (and which the COP's import and demo write without
them), and tags such as the services, which Wagtail's tag field cleans in the database's order while
taggit compares them in Python's. The phantom revision then went live in place of the one under
review, leaving the référent's note and the approval comment on a version that was never published.
"""

import re

from django import forms

from modelcluster.contrib.taggit import ClusterTaggableManager
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.forms.tags import TagField
from wagtail.fields import RichTextField

BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')


def as_the_editor_writes_it(widget, html):
    """`html` as `widget` writes it back when nobody touches it, without the block keys it invents."""
    round_trip = widget.value_from_datadict({"html": widget.format_value(html or "")}, {}, "html")
    return BLOCK_KEY.sub("", round_trip or "")


class RichTextFormField(forms.CharField):
    """A rich text field that changes when its text does, not when the editor rewrites its markup."""

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        written = (self.to_python(as_the_editor_writes_it(self.widget, value)) for value in (initial, data))
        return next(written) != next(written)


class UnorderedTagField(TagField):
    """Tags are a set: listing the same ones in another order changes nothing."""

    def has_changed(self, initial, data):
        if self.disabled:
            return False
        try:
            data = self.clean(data)
        except forms.ValidationError:
            return True
        return {tag.name for tag in initial or []} != set(data or [])


def register_honest_form_fields():
    register_form_field_override(RichTextField, override={"form_class": RichTextFormField})
    register_form_field_override(
        ClusterTaggableManager,
        override=lambda db_field: {"form_class": UnorderedTagField, "tag_model": db_field.related_model},
    )
