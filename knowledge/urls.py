"""Pages under /a/<slug>/ (the agency is resolved by the middleware)."""

from django.urls import path

from knowledge import views

urlpatterns = [
    path("ask/", views.ask, name="knowledge-ask"),
    path("ask/passage/<int:chunk_id>/", views.passage, name="knowledge-passage"),
    path("staff/knowledge/", views.knowledge_home, name="knowledge-home"),
    path("staff/knowledge/<int:document_id>/", views.knowledge_document, name="knowledge-document"),
]
