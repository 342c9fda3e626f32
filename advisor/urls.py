from django.contrib import admin
from django.urls import include, path

from advisor.views import api, catalogue, core, results

advisor_patterns = [
    path("", core.home, name="home"),
    path("healthz", core.healthz, name="healthz"),
    path("readyz", core.readyz, name="readyz"),
    path("models/", catalogue.model_list, name="model-list"),
    path("models/<str:slug>/", catalogue.model_detail, name="model-detail"),
    path("licenses/", catalogue.licence_list, name="licence-list"),
    path("licenses/<str:slug>/", catalogue.licence_detail, name="licence-detail"),
    path("criteria/", catalogue.criteria, name="criteria"),
    path("compare/", catalogue.compare, name="compare"),
    path("questionnaire/", results.questionnaire, name="questionnaire"),
    path("r/<uuid:code>/", results.recommendation_detail, name="recommendation-detail"),
    path("r/<uuid:code>.json", results.recommendation_json, name="recommendation-json"),
    path("r/<uuid:code>/reevaluate/", results.recommendation_reevaluate, name="recommendation-reevaluate"),
    path("api/v1/questionnaire", api.api_questionnaire, name="api-questionnaire"),
    path("api/v1/recommendations", api.api_recommendations, name="api-recommendations"),
    path("api/v1/openapi.json", api.api_openapi, name="api-openapi"),
]

urlpatterns = [
    path("", include((advisor_patterns, "advisor"))),
    # Browsers ask for /favicon.ico on pages that do not name an icon (the admin's).
    path("favicon.ico", core.favicon),
    path("admin/", admin.site.urls),
]

handler400 = "advisor.views.core.bad_request"
handler403 = "advisor.views.core.permission_denied"
handler404 = "advisor.views.core.page_not_found"
handler500 = "advisor.views.core.server_error"
