from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = _("Agencies and staff")

    def ready(self) -> None:
        from django.conf import settings
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from tenants import dbroles, rls

        # Every connection of the app's alias tells PostgreSQL the agency of each transaction. (Only the
        # benchmarks' "as before row-level security" runs leave it out, connected as the owner: bench/README.md.)
        if getattr(settings, "CIVICDESK_SCOPE_HOOK", True):
            connection_created.connect(rls.install, dispatch_uid="tenants.rls.install")

        # Once per `migrate`, after every app's migrations (sender: this app only).
        post_migrate.connect(dbroles.after_migrate, sender=self, dispatch_uid="tenants.dbroles.after_migrate")
