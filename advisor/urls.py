from django.contrib import admin
from django.urls import include, path

from advisor.views import core

advisor_patterns = [
    path("", core.home, name="home"),
    path("healthz", core.healthz, name="healthz"),
    path("readyz", core.readyz, name="readyz"),
]

urlpatterns = [
    path("", include((advisor_patterns, "advisor"))),
    path("admin/", admin.site.urls),
]

handler400 = "advisor.views.core.bad_request"
handler403 = "advisor.views.core.permission_denied"
handler404 = "advisor.views.core.page_not_found"
handler500 = "advisor.views.core.server_error"
