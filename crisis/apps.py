from django.apps import AppConfig


class CrisisConfig(AppConfig):
    name = "crisis"
    verbose_name = "Crisis mode and alerts"

    def ready(self) -> None:
        from crisis.chat_skill import register

        register()
