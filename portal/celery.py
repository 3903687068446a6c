"""The Celery app. Tasks that touch tenant data use `core.tasks.AgencyTask` as their base."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

# Every task (AgencyTask or not) starts in an empty contextvars context: see IsolatedTask.
app = Celery("civicdesk", task_cls="core.tasks:IsolatedTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
