"""Chat API: what the assistant understands of a message (staff); a photo the citizen attaches (the widget)."""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from chat import services
from chat.corrections import understand
from chat.engine.engine import bot_turn
from chat.models import Conversation, IntentCorrection
from chat.selectors import conversation_get_by_token
from chat.tokens import MAX_TOKEN_CHARS
from chat.understanding import has_visible
from portal.api_input import JsonInput
from tenants.api import AgencyScopedAPIView

logger = logging.getLogger(__name__)

MAX_CLIENT_ID_CHARS = 64  # as a socket message's client_msg_id (chat.consumers.common)
MAX_UNDERSTAND_CHARS = 2000  # chat.models.MAX_TEXT_CHARS: the longest message a citizen can send


class UnderstandInput(JsonInput):
    text = serializers.CharField(max_length=MAX_UNDERSTAND_CHARS, trim_whitespace=False)

    def validate_text(self, value: str) -> str:
        if not has_visible(value):  # only spaces or invisible characters: blank, as "" is
            raise serializers.ValidationError(serializers.CharField.default_error_messages["blank"], code="blank")
        return value


class UnderstandOutput(serializers.Serializer):
    language = serializers.CharField()
    intent = serializers.CharField()
    confidence = serializers.FloatField()
    skill = serializers.CharField()


class UnderstandApi(AgencyScopedAPIView):
    """What the assistant would make of `text` as a citizen's message (staff): its language, intent
    (`question`, `report`, `status`, `register`, `handoff`, `feedback`, `greeting`), confidence and the
    skill that would answer. Nothing is stored or answered."""

    serializer_class = UnderstandOutput

    def get_agency_queryset(self, agency):
        return IntentCorrection.objects.none()

    @extend_schema(operation_id="chat_understand", request=UnderstandInput, responses={200: UnderstandOutput})
    def post(self, request, *args, **kwargs):
        data = UnderstandInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = understand(agency=self.agency, text=data.validated_data["text"])
        return Response(UnderstandOutput(result).data)


class PhotoThrottle(AnonRateThrottle):
    """Photos are heavier than the other citizen calls: fewer of them per minute from one address."""

    scope = "chat_photo"


class PhotoInput(serializers.Serializer):
    token = serializers.CharField(max_length=MAX_TOKEN_CHARS, help_text="The conversation's citizen token.")
    photo = serializers.FileField(help_text="One JPEG, PNG or WebP photo, 10 MB at most.")
    client_msg_id = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class PhotoOutput(serializers.Serializer):
    seq = serializers.IntegerField()
    client_msg_id = serializers.CharField()


class PhotoApi(AgencyScopedAPIView):
    """The web chat's attach button (citizens, any site that embeds the widget): one JPEG, PNG or WebP
    photo (10 MB at most) sent into the conversation the citizen `token` opens, as a message of its own.
    The assistant answers it over the chat socket as it answers a typed message. Another agency's or an
    unknown token: 404. A file that is not such a photo: 400, the reason in the conversation's language."""

    allowed_roles = None
    authentication_classes = []  # the conversation token is the only credential (no cookies, no CSRF)
    throttle_classes = [AnonRateThrottle, PhotoThrottle]
    parser_classes = [MultiPartParser]
    serializer_class = PhotoOutput

    def get_agency_queryset(self, agency):
        return Conversation.objects.for_agency(agency)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"  # the widget runs on the agency's own site
        return response

    @extend_schema(operation_id="chat_photo", request={"multipart/form-data": PhotoInput}, responses={201: PhotoOutput})
    def post(self, request, *args, **kwargs):
        token = request.data.get("token")
        conversation = conversation_get_by_token(agency=self.agency, token=token) if isinstance(token, str) else None
        if conversation is None:
            raise NotFound  # first: whoever does not hold the conversation learns nothing about the upload
        client_msg_id = request.data.get("client_msg_id") or ""
        if not isinstance(client_msg_id, str) or len(client_msg_id) > MAX_CLIENT_ID_CHARS:
            raise ApiValidationError({"client_msg_id": ["At most 64 characters."]})
        upload = request.FILES.get("photo")
        with translation.override(conversation.language):
            if upload is None:
                raise ApiValidationError({"photo": [_("Choose a photo to send.")]})
            try:
                received = services.citizen_photo_receive(
                    agency=self.agency, conversation=conversation, upload=upload, client_msg_id=client_msg_id
                )
            except DjangoValidationError as error:
                raise ApiValidationError({"photo": error.messages}) from error
            except Conversation.DoesNotExist as error:  # erased a moment ago
                raise NotFound from error
        message = received.message
        if not received.duplicate and received.state in (Conversation.State.BOT, Conversation.State.CLOSED):
            # As the citizen's socket does for a typed message; no socket asked, so the reply (like the photo)
            # reaches every socket of the conversation through the channel layer once committed.
            try:
                bot_turn(
                    agency=self.agency,
                    conversation_id=message.conversation_id,
                    citizen_seq=message.seq,
                    message=message,
                )
            except Exception:  # the photo is stored: the socket's recovery answers it on the next connect
                logger.exception("bot turn after a photo failed")
        return Response(PhotoOutput({"seq": message.seq, "client_msg_id": message.client_msg_id}).data, status=201)
