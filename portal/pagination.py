"""The API's pagination: `limit` and `offset` as the schema says (non-negative integers), or a 400 naming
the parameter. DRF's own silently ignores a bad value and answers the first page."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


class StrictLimitOffsetPagination(LimitOffsetPagination):
    max_limit = 500

    @staticmethod
    def _integer(request, name: str) -> int | None:
        values = request.query_params.getlist(name)
        if not values:
            return None
        if len(values) > 1 or not values[0].isascii() or not values[0].isdigit():
            raise ValidationError({name: ["A non-negative whole number, given once."]})
        return int(values[0])

    def get_limit(self, request):
        limit = self._integer(request, self.limit_query_param)
        if limit is None:
            return self.default_limit
        if not 1 <= limit <= self.max_limit:
            raise ValidationError({self.limit_query_param: [f"From 1 to {self.max_limit}."]})
        return limit

    def get_offset(self, request):
        return self._integer(request, self.offset_query_param) or 0

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_limit)
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"].update(minimum=0)
        return parameters
