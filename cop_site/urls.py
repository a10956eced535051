from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.images.views.serve import ServeView

from accounts import views as accounts_views
from axes.cops import ARCHIVE_PREFIX
from history import urls as history_urls
from search import views as search_views
from utils.serving import serve_page

# What each COP answers: at `/` for the current COP, under `/cops/<slug>/` for the others (axes/cops.py).
cop_urlpatterns = [
    # Before axes: the proposal form lives under a project's short link, /projets/<ref>/proposer/.
    path("", include("editorial.urls")),
    path("", include("axes.urls")),
    path("", include("spreadsheets.urls")),
    path("", include("printing.urls")),
    path("", include("followup.urls")),
    path("evolutions/", include("history.urls")),
    path("indicateurs/", include("indicators.urls")),
    path("recherche/", search_views.search, name="search"),
    path("recherche/suggestions/", search_views.search_suggestions, name="search_suggestions"),
]

# The features' URLs under a page's own (`<page URL>historique/`), before the pages'.
other_cop_urlpatterns = [
    *cop_urlpatterns,
    path("", include(history_urls.page_urlpatterns)),
    re_path(r"^(?P<path>(?:[\w-]+/)*)$", serve_page, name="page"),
]

urlpatterns = [
    # The admin's sign-out signs out at the city's provider too, like the site's (accounts/oidc.py).
    path("admin/logout/", accounts_views.LogoutView.as_view(), name="cop_admin_logout"),
    path("admin/", include(wagtailadmin_urls)),
    # The read API, by token (api/): its views are not behind the login page.
    path("api/", include("api.urls")),
    path("documents/", include(wagtaildocs_urls)),
    # Signed image URLs ({% image_url %}), behind the login like every page; never in a shared cache.
    re_path(
        r"^images/([^/]*)/(\d*)/([^/]*)/[^/]*$",
        cache_control(private=True)(ServeView.as_view()),
        name="wagtailimages_serve",
    ),
    path("", include("accounts.urls")),
    path("", include("home.urls")),
    path("abonnements/", include("digests.urls")),
    path(f"{ARCHIVE_PREFIX}/<slug:cop_slug>/", include((other_cop_urlpatterns, ARCHIVE_PREFIX))),
    *cop_urlpatterns,
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    path("", include(history_urls.page_urlpatterns)),
    path("", include(wagtail_urls)),
]
