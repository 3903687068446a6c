from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations")

    def ready(self) -> None:
        from core.media import media_resolver_register
        from registrations.media import registration_file_resolve

        media_resolver_register("registrations", registration_file_resolve)

        from portal.tracking import register_filed_provider, register_status_provider
        from registrations import checks  # noqa: F401 - registers the system check
        from registrations.selectors import filed_references, status_view

        register_status_provider("registration", status_view)
        register_filed_provider("registration", filed_references)

        from portal.directory import register_directory_source
        from registrations.directory import form_phrases

        register_directory_source("registration forms", form_phrases)

        from chat.engine.registry import register_skill
        from registrations.chat_skill import RegisterServiceSkill

        register_skill(RegisterServiceSkill())
