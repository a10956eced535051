"""An archived COP is read, never changed: no edit, no new page, no move, no copy into it, no
proposal, no import. Its own settings page stays open, so that an administrator can reopen it."""

from django.contrib import messages
from django.shortcuts import redirect

from axes.cops import cop_of


def archived_cop(page):
    """The archived COP that holds `page` (not the COP's own page), or None."""
    cop = cop_of(page)
    if cop is None or not cop.archived or cop.pk == page.pk:
        return None
    return cop


def refusal(cop):
    return cop.read_only_message


def refuse_in_archive(request, page, back_to):
    """The hooks' answer: None where `page` may change, else a French message and `back_to`."""
    cop = archived_cop(page)
    if cop is None:
        return None
    messages.error(request, refusal(cop))
    return redirect(back_to)
