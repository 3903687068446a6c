"""Small probes built on the production scoping bases, used to prove that the bases set the tenant
scope and the audit actor for API calls, socket events and Celery tasks."""

from celery import shared_task
from channels.db import database_sync_to_async
from django.urls import include, path
from rest_framework import serializers
from rest_framework.generics import UpdateAPIView

from core.tasks import AgencyTask
from tenants.api import AgencyScopedAPIView
from tenants.consumers import AgencyScopedConsumer
from tenants.models import Department


def department_rename(*, agency, department_id: int, name: str) -> Department:
    department = Department.objects.for_agency(agency).get(pk=department_id)
    department.name = name
    department.full_clean()
    department.save()
    return department


class DepartmentRenameApi(AgencyScopedAPIView, UpdateAPIView):
    class Input(serializers.Serializer):
        name = serializers.CharField(max_length=100)

    def get_agency_queryset(self, agency):
        return Department.objects.for_agency(agency)

    def patch(self, request, *args, **kwargs):
        from rest_framework.response import Response

        department = self.get_object()
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        department_rename(agency=self.agency, department_id=department.pk, name=data.validated_data["name"])
        return Response({"name": data.validated_data["name"]})


class DepartmentRenameConsumer(AgencyScopedConsumer):
    async def agency_receive_json(self, content):
        department = await database_sync_to_async(self._rename)(content["department_id"], content["name"])
        await self.send_json({"type": "renamed", "name": department.name if department else None})

    def _rename(self, department_id, name):
        # The default (fail-closed) manager works here because the base set the scope.
        department = Department.objects.filter(pk=department_id).first()
        if department is None:
            return None
        return department_rename(agency=self.agency, department_id=department.pk, name=name)


@shared_task(base=AgencyTask, name="tests.department_rename")
def department_rename_task(*, agency, department_id: int, name: str) -> None:
    department = Department.objects.filter(pk=department_id).first()  # scoped by AgencyTask
    if department is not None:
        department_rename(agency=agency, department_id=department.pk, name=name)


urlpatterns = [
    path("api/v1/a/<slug:agency_slug>/probe/departments/<int:pk>/", DepartmentRenameApi.as_view()),
    path("", include("portal.urls")),
]
