from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from knowledge.directory import document_phrases
        from portal.directory import register_directory_source

        register_directory_source("documents", document_phrases)

        from core.media import media_resolver_register
        from knowledge.media import knowledge_file_resolve

        media_resolver_register("knowledge", knowledge_file_resolve)

        from django.conf import settings

        # Daily activation of versions whose effective date has come.
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "knowledge-activate-due-versions",
            {"task": "knowledge.activate_due_versions", "schedule": 3600.0},
        )
        # Indexing whose worker was lost is queued again (knowledge.tasks.requeue_stalled_versions).
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "knowledge-requeue-stalled-versions",
            {"task": "knowledge.requeue_stalled_versions", "schedule": settings.KNOWLEDGE_INDEX_SWEEP_SECONDS},
        )
        # Live chunks still without their shared-space vectors get them (knowledge.tasks.shared_vectors_sweep).
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "knowledge-shared-vectors-sweep",
            {"task": "knowledge.shared_vectors_sweep", "schedule": settings.KNOWLEDGE_INDEX_SWEEP_SECONDS},
        )
