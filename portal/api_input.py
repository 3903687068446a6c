"""Input serializers for the API that take JSON as the schema describes it: a text field takes a JSON
string only (DRF's CharField turns 5, 1e-120 or true into text, so a wrong type was accepted)."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class JsonInput(serializers.Serializer):
    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {
                name: [_("Must be text.")]
                for name, field in self.fields.items()
                if isinstance(field, serializers.CharField)
                and not field.read_only
                and data.get(name) is not None
                and not isinstance(data.get(name), str)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
