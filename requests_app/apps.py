from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Service requests")

    def ready(self) -> None:
        from core.media import media_resolver_register
        from requests_app.media import photo_file_resolve

        media_resolver_register("requests", photo_file_resolve)

        from portal.tracking import register_filed_provider, register_status_provider
        from requests_app.tracking import service_request_references, service_request_status

        register_status_provider("service_request", service_request_status)
        register_filed_provider("service_request", service_request_references)

        from portal.directory import register_directory_source
        from requests_app.directory import category_phrases

        register_directory_source("report categories", category_phrases)

        from requests_app.chat_skill import register

        register()
