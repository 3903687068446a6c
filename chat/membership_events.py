"""An inbox socket outlives the role that opened it unless it is told: when a membership is saved or
deleted, or an account deactivated, the person's open inbox sockets re-read their role after commit and
close if it is gone (chat.consumers.inbox)."""

from chat import realtime


def membership_saved(sender, instance, **kwargs) -> None:
    realtime.membership_changed(agency_id=instance.agency_id, user_id=instance.user_id)


def user_saved(sender, instance, update_fields=None, **kwargs) -> None:
    if instance.is_active or (update_fields is not None and "is_active" not in update_fields):
        return
    from tenants.context import cross_agency
    from tenants.models import Membership

    memberships = Membership.objects.unscoped()  # unscoped: a deactivated account's memberships, in every agency
    with cross_agency(reason="a deactivated account's memberships, in every agency"):
        agency_ids = list(memberships.filter(user=instance).values_list("agency_id", flat=True))
    for agency_id in agency_ids:
        realtime.membership_changed(agency_id=agency_id, user_id=instance.pk)
