"""Pages: the full-page chat for citizens and the agents' inbox console (both driven by sockets)."""

from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt

from chat.services import CHAT_AGENT_ROLES
from tenants.permissions import agency_role_required


@xframe_options_exempt
def chat_page(request, agency_slug: str):
    """The full-page chat (it may also be framed by an agency's own site)."""
    return render(request, "chat/chat_page.html")


@agency_role_required(CHAT_AGENT_ROLES)
def inbox(request, agency_slug: str):
    return render(request, "chat/inbox.html")
