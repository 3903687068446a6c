from celery import shared_task

from core.tasks import AgencyTask
from privacy.retention import retention_run

RETRY = {"autoretry_for": (Exception,), "retry_backoff": 30, "retry_backoff_max": 3600, "max_retries": 5}


@shared_task(base=AgencyTask, name="privacy.retention_run", **RETRY)
def retention_run_task(*, agency) -> dict:
    return retention_run(agency=agency).counts


@shared_task(name="privacy.retention_run_all")
def retention_run_all() -> int:
    """Beat entry point (daily): one run per agency that enforces a retention policy."""
    from privacy.models import RetentionPolicy

    # Which agencies enforce a policy; each then runs in its own scope.
    enforced = RetentionPolicy.objects.unscoped()  # unscoped: beat looks across agencies
    from tenants.context import cross_agency

    with cross_agency(reason="the retention beat finds the agencies that enforce a policy"):
        ids = sorted(set(enforced.filter(enabled=True).values_list("agency_id", flat=True)))
    for agency_id in ids:
        retention_run_task.delay(agency_id=agency_id)
    return len(ids)
