from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatConfig(AppConfig):
    name = "chat"
    verbose_name = _("Chat")

    def ready(self):
        from chat.engine.skills import register_builtin_skills

        register_builtin_skills()

        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from chat import membership_events
        from tenants.models import Membership

        # Memberships change in the admin (and with the accounts they belong to), not through a service of
        # ours: the model signals are the one place every change passes.
        post_save.connect(membership_events.membership_saved, sender=Membership, dispatch_uid="chat-membership-saved")
        post_delete.connect(membership_events.membership_saved, sender=Membership, dispatch_uid="chat-membership-gone")
        post_save.connect(membership_events.user_saved, sender=get_user_model(), dispatch_uid="chat-user-saved")
