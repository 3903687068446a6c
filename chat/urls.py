"""Pages under /a/<slug>/ (the agency is resolved by the middleware)."""

from django.urls import path

from chat import completion_views, views

urlpatterns: list = [
    path("chat/", views.chat_page, name="chat"),
    path("staff/inbox/", views.inbox, name="chat-inbox"),
    path(
        "staff/inbox/<uuid:conversation_id>/forms/<slug:form>/complete/",
        completion_views.complete_form,
        name="chat-complete-form",
    ),
    path("staff/chat/try/", views.try_message, name="chat-try-message"),
]
