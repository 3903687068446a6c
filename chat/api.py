"""Chat API for agency staff: what the assistant understands of a message."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from chat.models import IntentCorrection
from chat.understanding import has_visible, understand
from portal.api_input import JsonInput
from tenants.api import AgencyScopedAPIView

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
