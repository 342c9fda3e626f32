from django.contrib import admin
from django.urls import include, path, register_converter

from advisor.api import api
from advisor.views import catalogue, core, editorial, results, rooms


class TokenConverter:
    """A capability token: 43 URL-safe characters (``models.capability_token()``); anything else is a 404."""

    regex = "[A-Za-z0-9_-]{43}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(TokenConverter, "token")

advisor_patterns = [
    path("", core.home, name="home"),
    path("healthz", core.healthz, name="healthz"),
    path("readyz", core.readyz, name="readyz"),
    path("models/", catalogue.model_list, name="model-list"),
    path("models/<str:slug>/", catalogue.model_detail, name="model-detail"),
    path("models/<str:slug>/history/", catalogue.model_history, name="model-history"),
    path("models/<str:slug>/report/", catalogue.report_inaccuracy, {"kind": "model"}, name="model-report"),
    path("licenses/", catalogue.licence_list, name="licence-list"),
    path("licenses/<str:slug>/", catalogue.licence_detail, name="licence-detail"),
    path("licenses/<str:slug>/history/", catalogue.licence_history, name="licence-history"),
    path("licenses/<str:slug>/report/", catalogue.report_inaccuracy, {"kind": "licence"}, name="licence-report"),
    path("criteria/", catalogue.criteria, name="criteria"),
    path("changes/", catalogue.changes, name="changes"),
    path("changes/feed/", catalogue.changes_feed, name="changes-feed"),
    path("compare/", catalogue.compare, name="compare"),
    path("questionnaire/", results.questionnaire, name="questionnaire"),
    path("r/<uuid:code>/", results.recommendation_detail, name="recommendation-detail"),
    path("r/<uuid:code>.json", results.recommendation_json, name="recommendation-json"),
    path("r/<uuid:code>.md", results.recommendation_record, name="recommendation-record"),
    path("r/<uuid:code>.csv", results.recommendation_csv, name="recommendation-csv"),
    path("r/<uuid:code>/card.png", results.recommendation_card, name="recommendation-card"),
    path("r/<uuid:code>/qr.svg", results.recommendation_qr, name="recommendation-qr"),
    path("r/<uuid:code>/reevaluate/", results.recommendation_reevaluate, name="recommendation-reevaluate"),
    path("rooms/", rooms.room_create, name="room-create"),
    path("rooms/manage/<token:token>/", rooms.room_manage, name="room-manage"),
    path("rooms/manage/<token:token>/answers/<slug:key>/", rooms.room_override, name="room-override"),
    path("rooms/manage/<token:token>/close/", rooms.room_close, name="room-close"),
    path("rooms/answer/<token:token>/", rooms.room_answer, name="room-answer"),
    path("rooms/member/<token:token>/", rooms.room_member, name="room-member"),
    path("rooms/view/<token:token>/", rooms.room_view, name="room-view"),
]

urlpatterns = [
    path("", include((advisor_patterns, "advisor"))),
    # Browsers ask for /favicon.ico on pages that do not name an icon (the admin's).
    path("favicon.ico", core.favicon),
    path("admin/publish/", editorial.catalogue_publish, name="catalogue-publish"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler400 = "advisor.views.core.bad_request"
handler403 = "advisor.views.core.permission_denied"
handler404 = "advisor.views.core.page_not_found"
handler500 = "advisor.views.core.server_error"
