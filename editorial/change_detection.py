"""The page editor sees a change only where the editor made one.

Wagtail decides from `form.has_changed()` whether approving from the page editor saves a new
revision. Rich text reported changes that nobody made: Draftail writes it back with a new
`data-block-key` on every block (and the COP's import and demo write it without them). The phantom
revision then went live in place of the one under review, leaving the référent's note and the approval
comment on a version that was never published. (The services, once a tag field that compared them in
two orders, are now a set of ids: `axes.admin_forms.ServicesField`.)
"""

import re

from django import forms

from wagtail.admin.forms.models import register_form_field_override
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


def register_honest_form_fields():
    register_form_field_override(RichTextField, override={"form_class": RichTextFormField})
