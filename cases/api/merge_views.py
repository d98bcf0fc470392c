"""Person merges in the API, as on the pages (``cases.merge_views``): any role that sees both
people proposes; a city officer merges or rejects, and may undo. Each answers with the merge."""
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from web.api.permissions import roles_allowed
from core.audit import audit_record
from core.errors import ApplicationError

from .. import merge, selectors
from ..permissions import MERGE_DECIDER_ROLES, MERGE_PROPOSER_ROLES
from . import serializers

PROPOSERS = roles_allowed(*MERGE_PROPOSER_ROLES)
DECIDERS = roles_allowed(*MERGE_DECIDER_ROLES)


class PersonMergeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PersonMergeSerializer
    filterset_fields = ["status"]

    def get_permissions(self):
        return [(DECIDERS if self.action in ("decide", "undo") else PROPOSERS)()]

    def get_queryset(self):
        return selectors.person_merges_visible_to(self.request.user).order_by("-created_at",
                                                                              "-id")

    def retrieve(self, request, *args, **kwargs):
        proposal = selectors.get_person_merge_for(request.user, kwargs["pk"])
        audit_record(actor=request.user, action="person_merge.view", obj=proposal)
        return Response(self.get_serializer(proposal).data)

    @extend_schema(request=serializers.PersonMergeProposeSerializer,
                   responses={201: serializers.PersonMergeSerializer})
    def create(self, request, *args, **kwargs):
        body = serializers.PersonMergeProposeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        people = {}
        for field in ("survivor", "duplicate"):
            try:
                people[field] = selectors.get_person_for(request.user, body.validated_data[field])
            except Http404:
                raise ApplicationError(_("No such person, or you may not see them."),
                                       field=field) from None
        proposal = merge.person_merge_propose(actor=request.user,
                                              reason=body.validated_data.get("reason", ""),
                                              **people)
        return Response(self.get_serializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.PersonMergeDecideSerializer,
                   responses=serializers.PersonMergeSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        proposal = selectors.get_person_merge_for(request.user, pk, action="decide")
        body = serializers.PersonMergeDecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = merge.person_merge_decide(actor=request.user, merge=proposal,
                                             approve=body.validated_data["approve"],
                                             reason=body.validated_data.get("reason", ""))
        return Response(self.get_serializer(proposal).data)

    @extend_schema(request=serializers.PersonMergeUndoSerializer,
                   responses=serializers.PersonMergeSerializer)
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        proposal = selectors.get_person_merge_for(request.user, pk, action="undo")
        body = serializers.PersonMergeUndoSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        proposal = merge.person_merge_undo(actor=request.user, merge=proposal,
                                           reason=body.validated_data.get("reason", ""))
        return Response(self.get_serializer(proposal).data)
