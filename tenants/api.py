"""The one scoping base for agency APIs under /api/v1/a/<slug>/.

Subclasses implement `get_agency_queryset(agency)` and may not override `get_queryset`,
`get_object` or `initial`: the agency filter cannot be forgotten. Another agency's object is 404.
"""

from django.http import Http404
from rest_framework import generics
from rest_framework.exceptions import NotFound

from tenants.permissions import HasAgencyRole
from tenants.selectors import STAFF_ROLES

_SEALED = ("get_queryset", "get_object", "initial")


class AgencyScopedAPIView(generics.GenericAPIView):
    allowed_roles: frozenset[str] | None = STAFF_ROLES
    permission_classes = [HasAgencyRole]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in _SEALED:
            if name in cls.__dict__:
                raise TypeError(f"{cls.__name__} may not override {name}; implement get_agency_queryset instead")

    def initial(self, request, *args, **kwargs):
        agency = getattr(request._request, "agency", None)
        if agency is None:
            raise NotFound
        self.agency = agency
        super().initial(request, *args, **kwargs)

    def get_agency_queryset(self, agency):
        raise NotImplementedError

    def get_queryset(self):
        queryset = self.get_agency_queryset(self.agency)
        # Belt and braces: whatever the subclass built, it is filtered by this agency again.
        return queryset.filter(agency_id=self.agency.pk)

    def get_object(self):
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound from exc
