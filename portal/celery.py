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
