"""`/api/v2/`: Wagtail's API router with the COP's endpoints. Its views authenticate by token, not
by session: the private site's login redirect (accounts/middleware.py) does not apply to them."""

from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .views import ApiRootView, CopPagesAPIViewSet, IndicatorsAPIViewSet, ServicesAPIViewSet

router = WagtailAPIRouter("wagtailapi")
router.register_endpoint("pages", CopPagesAPIViewSet)
router.register_endpoint("services", ServicesAPIViewSet)
router.register_endpoint("indicators", IndicatorsAPIViewSet)

urlpatterns = decorate_urlpatterns(
    [
        path("v2/", ApiRootView.as_view(), name="api_root"),
        path("v2/", include((router.get_urlpatterns(), "wagtailapi"), namespace="wagtailapi")),
    ],
    login_not_required,
)
