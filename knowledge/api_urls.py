"""API under /api/v1/a/<slug>/ (views subclass tenants.api.AgencyScopedAPIView)."""

from django.urls import path

from knowledge import api

urlpatterns = [
    path("ask/", api.AskApi.as_view(), name="api-ask"),
    path("knowledge/documents/", api.DocumentListApi.as_view(), name="api-knowledge-documents"),
    path("knowledge/documents/<int:document_id>/", api.DocumentDetailApi.as_view(), name="api-knowledge-document"),
    path(
        "knowledge/documents/<int:document_id>/retire/",
        api.DocumentRetireApi.as_view(),
        name="api-knowledge-document-retire",
    ),
    path(
        "knowledge/documents/<int:document_id>/versions/",
        api.VersionListApi.as_view(),
        name="api-knowledge-versions",
    ),
    path(
        "knowledge/documents/<int:document_id>/versions/<int:version_id>/",
        api.VersionDetailApi.as_view(),
        name="api-knowledge-version",
    ),
    path(
        "knowledge/documents/<int:document_id>/versions/<int:version_id>/chunks/",
        api.VersionChunksApi.as_view(),
        name="api-knowledge-chunks",
    ),
    path("knowledge/search/", api.SearchApi.as_view(), name="api-knowledge-search"),
    path("knowledge/unanswered/", api.UnansweredListApi.as_view(), name="api-knowledge-unanswered"),
]
