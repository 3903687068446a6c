"""Celery tasks of the chat app: thin, each calls a service."""

from celery import shared_task


@shared_task(name="chat.agent_photos_purge_all")
def agent_photos_purge_all() -> int:
    """Beat (daily): each active agency's photos attached by agents to drafts that were then left (no draft holds
    them, a draft's week is past) are deleted, agency by agency in its own scope (`chat.completion_photos`)."""
    from chat.completion_photos import agent_photos_purge
    from tenants.context import agency_context
    from tenants.models import Agency

    deleted = 0
    for agency in Agency.objects.filter(is_active=True).order_by("pk"):
        with agency_context(agency):
            deleted += agent_photos_purge(agency=agency)
    return deleted
