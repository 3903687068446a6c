"""What the handoff tests share: reading a conversation back, its transcript's roles, asking for a person."""

from chat.models import Conversation, Message
from tests.chat.conftest import message_frames


def conversation_of(pk):
    return Conversation.objects.unscoped().select_related("assigned_agent").get(pk=pk)


def roles_of(pk):
    return list(Message.objects.unscoped().filter(conversation_id=pk).order_by("seq").values_list("role", flat=True))


async def ask_for_a_person(communicator):
    await communicator.send_json_to({"type": "message", "text": "I want to talk to a person", "client_msg_id": "h1"})
    return await message_frames(communicator, 2)
