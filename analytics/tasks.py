"""Celery tasks of the analytics app."""

from celery import shared_task


@shared_task(name="analytics.rollups_refresh_all")
def rollups_refresh_all() -> dict:
    """Beat (every ANALYTICS_ROLLUP_REFRESH_SECONDS): each active agency's daily rollups brought up to
    date, agency by agency in its own scope (analytics/rollups/services.py)."""
    from analytics.rollups.services import rollups_refresh
    from tenants.context import agency_context
    from tenants.models import Agency

    days = 0
    for agency in Agency.objects.filter(is_active=True).order_by("pk"):
        with agency_context(agency):
            days += sum(rollups_refresh(agency=agency).values())
    return {"days": days}
