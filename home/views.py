from django.contrib.auth.decorators import login_not_required
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET


# The accessibility statement is a legal notice: anyone may read it, signed in or not.
@login_not_required
@require_GET
def accessibility(request):
    return TemplateResponse(request, "home/accessibility.html", {})
