from celery import shared_task

from core.tasks import AgencyTask
from registrations.notifications import registration_notification_send


@shared_task(base=AgencyTask, name="registrations.notify", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def registration_notify(*, agency, registration_id: int, kind: str, event_id: int | None = None, email: str = ""):
    return registration_notification_send(
        agency=agency, registration_id=registration_id, kind=kind, event_id=event_id, email=email
    )
