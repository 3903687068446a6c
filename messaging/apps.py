from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "messaging"
    verbose_name = _("Messaging channels")

    def ready(self):
        from core.media import media_resolver_register
        from messaging.media import channel_photo_resolve
        from messaging.providers import register_builtin_providers

        register_builtin_providers()
        media_resolver_register("messaging", channel_photo_resolve)
