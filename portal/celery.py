"""The Celery app. Tasks that touch tenant data use `core.tasks.AgencyTask` as their base."""

import os

from celery import Celery
from celery.signals import worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

# Every task (AgencyTask or not) starts in an empty contextvars context: see IsolatedTask.
app = Celery("civicdesk", task_cls="core.tasks:IsolatedTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
@worker_process_init.connect
def _tune_worker(**_kwargs) -> None:
    """Process settings for the worker and each of its pool's child processes."""
    from core.process import tune

    tune(serves_sockets=False)


@worker_init.connect
def _nice_bulk_worker(sender=None, **_kwargs) -> None:
    """A worker that consumes only bulk queues (`celery -A portal worker -Q bulk`: alert fan-outs and senders)
    lowers its own CPU priority to `CELERY_BULK_NICE` before its pool starts, so its children inherit it."""
    from django.conf import settings

    from core.process import lower_priority

    if sender is None or settings.CELERY_BULK_NICE <= 0:
        return
    queues = set(sender.app.amqp.queues.consume_from)
    if queues and queues <= {settings.CELERY_BULK_QUEUE}:
        lower_priority(settings.CELERY_BULK_NICE)
