"""The Celery base task for work on tenant data. Tasks that touch tenant data use `AgencyTask`: they
receive `agency_id` (and the acting user's id, for the audit trail) explicitly and run inside that
agency's scope."""

import contextvars

from celery import Task


class IsolatedTask(Task):
    """Every task body runs in a fresh, empty `contextvars` context (the app's base task class).

    A worker runs task after task in one thread, and whatever a task leaves in a context variable
    would otherwise be seen by the next: django-auditlog's `set_actor` sets its variable and never
    resets it, so a later task's bulk audit entries named an actor (of another agency) who did
    nothing. Starting empty, a task has no actor, agency, correlation id or language but its own."""

    def __call__(self, *args, **kwargs):
        return contextvars.Context().run(self.call_in_context, *args, **kwargs)

    def call_in_context(self, *args, **kwargs):
        """The task call, inside its own context (subclasses set up their scope here)."""
        return super().__call__(*args, **kwargs)


class AgencyTask(IsolatedTask):
    """Run the task body with the agency in scope and the actor recorded on audit entries.

    Call as `task.delay(agency_id=…, actor_id=…, …)`; the body receives `agency` (an Agency) instead
    of `agency_id`. An unknown or deactivated agency makes the task a no-op: the work is gone with it.
    """

    typing = False  # the body's signature takes `agency`, callers pass `agency_id`

    def call_in_context(self, *args, **kwargs):
        from auditlog.context import set_actor
        from django.contrib.auth import get_user_model

        from tenants.context import agency_context
        from tenants.models import Agency
        from tenants.timezones import agency_time

        agency_id = kwargs.pop("agency_id")
        actor_id = kwargs.pop("actor_id", None)
        agency = Agency.objects.filter(pk=agency_id, is_active=True).first()
        if agency is None:
            return None
        actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
        with agency_context(agency), agency_time(agency):
            if actor is None:
                return super().call_in_context(*args, agency=agency, **kwargs)
            with set_actor(actor):
                return super().call_in_context(*args, agency=agency, **kwargs)
