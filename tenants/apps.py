from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from tenants import dbroles

        # Once per `migrate`, after every app's migrations (sender: this app only).
        post_migrate.connect(dbroles.after_migrate, sender=self, dispatch_uid="tenants.dbroles.after_migrate")
