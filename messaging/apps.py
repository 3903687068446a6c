from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messaging channels")

    def ready(self):
        from messaging.providers import register_builtin_providers

        register_builtin_providers()
