"""The base of the programme's thin views: check input, call one service, render the result.

Each view says who may read (`read_roles`) and write (`write_roles`); rows are always taken
from the selector of what the caller may see, so another agency's or worker's rows are 404.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from backend.api.pagination import StandardPagination
from backend.exceptions import NotFound
from programme.permissions import AGENCY, OFFICER, WORKER, ProgrammePermission, actor_kind

ALL = (OFFICER, WORKER, AGENCY)


class ProgrammeApi(GenericAPIView):
    permission_classes = [ProgrammePermission]
    pagination_class = StandardPagination
    read_roles: tuple[str, ...] = (OFFICER,)
    write_roles: tuple[str, ...] = (OFFICER,)
    missing = gettext_lazy("记录不存在。")

    def visible(self):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.serializer_class.Meta.model.objects.none()
        return self.visible()

    def get_row(self, pk: int):
        row = self.get_queryset().filter(pk=pk).first()
        if row is None:
            raise NotFound(str(self.missing))
        return row

    def render(self, row, http_status=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().filter(pk=row.pk).first() or row
        return Response(self.serializer_class(fresh).data, status=http_status)

    def list_response(self) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.serializer_class(page, many=True).data)

    def valid(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def own_worker(self):
        return self.request.user.worker if actor_kind(self.request.user) == WORKER else None
