from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontdoorConfig(AppConfig):
    name = "frontdoor"
    verbose_name = _("Front door")

    def ready(self) -> None:
        from frontdoor.directory import official_phrases, service_phrases
        from portal.directory import register_directory_source

        register_directory_source("services", service_phrases)
        register_directory_source("officials", official_phrases)
