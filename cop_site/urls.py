from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from search import views as search_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("", include("accounts.urls")),
    # Before axes: the proposal form lives under a project's short link, /projets/<ref>/proposer/.
    path("", include("editorial.urls")),
    path("", include("axes.urls")),
    path("", include("home.urls")),
    path("", include("spreadsheets.urls")),
    path("evolutions/", include("history.urls")),
    path("recherche/", search_views.search, name="search"),
    path("recherche/suggestions/", search_views.search_suggestions, name="search_suggestions"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
