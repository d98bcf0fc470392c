"""The register and the secretariat over HTTP, with the pages' visibility: every queryset is
the app's selector."""
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.audit import TEXT_FILTERS, audit_bulk_read, audit_record
from core.errors import ApplicationError
from core.models import Agency
from core.reveal import no_store
from core.roles import STAFF_ROLES
from core.visibility import agencies_shared_with
from web.api.filters import query_filters
from web.api.parsers import JSONParser
from web.api.permissions import roles_allowed
from web.api.serializers import RevealedNumberSerializer, RevealSerializer

from .. import selectors, services
from ..permissions import (
    CASE_READER_ROLES,
    IDENTITY_REVEAL_ROLES,
    MEETING_ROLES,
    PERSON_REGISTER_ROLES,
    REGISTER_ROLES,
)
from ..secretariat import selectors as meeting_selectors
from ..secretariat import services as meeting_services
from . import serializers

REGISTER = roles_allowed(*REGISTER_ROLES)
READERS = roles_allowed(*CASE_READER_ROLES)
REVEALERS = roles_allowed(*IDENTITY_REVEAL_ROLES)
PERSON_REGISTER = roles_allowed(*PERSON_REGISTER_ROLES)
STAFF = roles_allowed(*STAFF_ROLES)
MEETING_PARTIES = roles_allowed(*MEETING_ROLES)


def _search(view, body_class, selector, *, action: str, object_type: str):
    """A search posted in the body (names and numbers stay out of addresses), answered with a
    page of the selector's visible records, paginated as the list is. A search by name or
    number is a bulk read of personal data: audited, once per request."""
    body = body_class(data=view.request.data)
    body.is_valid(raise_exception=True)
    filters = {key: value for key, value in body.validated_data.items() if value}
    page = view.paginate_queryset(selector(view.request.user, **filters))
    if TEXT_FILTERS & filters.keys():
        audit_bulk_read(actor=view.request.user, action=action, object_type=object_type,
                        rows=len(page), filters=filters)
    return view.get_paginated_response(view.get_serializer(page, many=True).data)


class PersonViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PersonSerializer
    filterset_fields = ["district", "residence_status"]

    def get_permissions(self):
        if self.action == "reveal_document":
            return [REVEALERS()]
        return [(PERSON_REGISTER if self.action == "create" else READERS)()]

    @extend_schema(request=RevealSerializer, responses={200: RevealedNumberSerializer})
    @action(detail=True, methods=["post"], url_path=r"documents/(?P<document_pk>[0-9]+)/reveal")
    def reveal_document(self, request, pk=None, document_pk=None):
        """One identity-document number in full, with a reason; audited, limited per hour,
        never cached (core.reveal)."""
        person = selectors.get_person_for(request.user, pk, action="reveal")
        document = selectors.get_document_for(request.user, person, document_pk)
        data = RevealSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        number = services.identity_document_reveal(actor=request.user, document=document,
                                                   **data.validated_data)
        return no_store(Response({"number": number}))

    def get_queryset(self):
        # names and document numbers are searched by POST .../search/ (kept out of addresses)
        return selectors.person_search(self.request.user)

    @extend_schema(request=serializers.PersonSearchSerializer,
                   responses=serializers.paginated(serializers.PersonSerializer, "PersonPage"))
    @action(detail=False, methods=["post"], parser_classes=[JSONParser])
    def search(self, request):
        return _search(self, serializers.PersonSearchSerializer, selectors.person_search,
                       action="person.search", object_type="cases.person")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "detail": self.action == "retrieve"}

    def retrieve(self, request, *args, **kwargs):
        person = selectors.get_person_for(request.user, kwargs["pk"])
        person = self.get_queryset().get(pk=person.pk)
        audit_record(actor=request.user, action="person.view", obj=person)
        return Response(self.get_serializer(person).data)

    @extend_schema(request=serializers.PersonShareSerializer,
                   responses={200: serializers.PersonSharesSerializer})
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        """The registering Macau or Hengqin agency shares the person with a Zhuhai agency
        (the city bureau, or the district bureau of the person's address); refused without a
        signed authorization that allows Zhuhai."""
        return self._share_step(request, pk, services.person_share)

    @extend_schema(request=serializers.PersonShareSerializer,
                   responses={200: serializers.PersonSharesSerializer})
    @action(detail=True, methods=["post"])
    def unshare(self, request, pk=None):
        return self._share_step(request, pk, services.person_unshare)

    def _share_step(self, request, pk, service):
        person = selectors.get_person_for(request.user, pk, action="share")
        if not selectors.person_may_share(request.user, person):
            self.permission_denied(request)
        data = serializers.PersonShareSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        agency = Agency.objects.filter(code=data.validated_data["agency"]).first()
        service(actor=request.user, person=person, agency=agency,
                reason=data.validated_data["reason"])
        return Response({"shared_with": sorted(agencies_shared_with(person)
                                               .values_list("code", flat=True))})

    @extend_schema(request=serializers.PersonCreateSerializer,
                   responses={201: serializers.PersonSerializer,
                              409: serializers.PersonConflictSerializer})
    def create(self, request, *args, **kwargs):
        data = serializers.PersonCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            person = services.person_register(actor=request.user, check_possible_duplicates=True,
                                              **data.validated_data)
        except ApplicationError as error:
            if error.code == "possible_duplicate":
                audit_record(actor=request.user, action="person.possible_duplicate_shown",
                             changes={"people": [match.person.pk for match in error.matches]})
                return Response({
                    "detail": str(error.message), "code": "possible_duplicate",
                    "candidates": [{"id": match.person.pk, "name_zh": match.person.name_zh,
                                    "date_of_birth": match.person.date_of_birth,
                                    "sex": match.person.sex, "district": match.person.district,
                                    "score": match.score, "is_certain": match.is_certain}
                                   for match in error.matches]},
                    status=status.HTTP_409_CONFLICT)
            existing = getattr(error, "existing", None)
            if error.code == "duplicate" and existing is not None:
                visible = selectors.person_visible_to(request.user).filter(pk=existing.pk).exists()
                return Response({"detail": str(error.message), "code": "duplicate",
                                 "existing": existing.pk if visible else None},
                                status=status.HTTP_409_CONFLICT)
            raise
        return Response(serializers.PersonSerializer(person, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class HouseholdViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.HouseholdSerializer
    permission_classes = [READERS]
    filterset_fields = ["district"]

    def get_queryset(self):
        return selectors.households_for_api(self.request.user)


@extend_schema_view(list=extend_schema(parameters=[serializers.CaseListQuerySerializer]))
class CaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.CaseSerializer

    def get_permissions(self):
        return [(REGISTER if self.action == "create" else READERS)()]

    def get_queryset(self):
        # names and numbers are searched by POST .../search/ (kept out of addresses)
        filters = {}
        if self.action == "list":
            filters = query_filters(self.request, serializers.CaseListQuerySerializer)
        return self._listed(self.request.user, **filters)

    @staticmethod
    def _listed(user, **filters):
        """The list page's search, loading only what the API shows."""
        shown = [name for name in serializers.CaseSerializer.Meta.fields if name != "subject_name"]
        return selectors.cases_for_api(user, fields=shown, **filters)

    @extend_schema(request=serializers.CaseSearchSerializer,
                   responses=serializers.paginated(serializers.CaseSerializer, "CasePage"))
    @action(detail=False, methods=["post"], parser_classes=[JSONParser])
    def search(self, request):
        return _search(self, serializers.CaseSearchSerializer, self._listed,
                       action="case.search", object_type="cases.case")

    def retrieve(self, request, *args, **kwargs):
        case = selectors.get_case_for(request.user, kwargs["pk"])
        audit_record(actor=request.user, action="case.view", obj=case)
        return Response(self.get_serializer(case).data)

    @extend_schema(request=serializers.CaseCreateSerializer,
                   responses={201: serializers.CaseSerializer})
    def create(self, request, *args, **kwargs):
        data = serializers.CaseCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        try:
            subject = selectors.get_person_for(request.user, values.pop("subject"),
                                               action="change")
        except Http404:
            raise ApplicationError("subject", field="subject") from None
        case = services.case_open(actor=request.user, subject=subject, **values)
        return Response(self.get_serializer(case).data, status=status.HTTP_201_CREATED)


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.MeetingSerializer
    permission_classes = [MEETING_PARTIES]
    filterset_fields = ["kind", "status"]

    def get_queryset(self):
        return (meeting_selectors.meeting_visible_to(self.request.user)
                .select_related("organiser_agency").prefetch_related("invited_agencies")
                .order_by("-starts_at", "-id"))

    @extend_schema(responses=serializers.AgendaItemSerializer(many=True))
    @action(detail=True, pagination_class=None)
    def agenda(self, request, pk=None):
        meeting = meeting_selectors.get_meeting_for(request.user, pk)
        items = meeting_selectors.meeting_agenda(meeting, request.user)
        return Response(serializers.AgendaItemSerializer(items, many=True).data)


class ActionItemViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ActionItemSerializer
    permission_classes = [MEETING_PARTIES]
    filterset_fields = ["status", "meeting"]

    def get_queryset(self):
        return meeting_selectors.action_items_for_api(self.request.user)

    @extend_schema(methods=["GET"], responses=serializers.ProgressSerializer(many=True))
    @extend_schema(methods=["POST"], request=serializers.ProgressCreateSerializer,
                   responses={201: serializers.ProgressSerializer(many=True)})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def progress(self, request, pk=None):
        """The item's progress notes; POST adds one (and may change the item's status)."""
        item = meeting_selectors.get_action_item_for(request.user, pk)
        if request.method == "POST":
            if not meeting_selectors.action_item_may_update(request.user, item):
                self.permission_denied(request)
            data = serializers.ProgressCreateSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            meeting_services.action_item_progress(actor=request.user, action_item=item,
                                                  text=data.validated_data["text"],
                                                  status=data.validated_data.get("status"))
        notes = item.progress_notes.select_related("actor")
        return Response(serializers.ProgressSerializer(notes, many=True).data,
                        status=status.HTTP_201_CREATED if request.method == "POST" else 200)


@extend_schema_view(list=extend_schema(parameters=[serializers.LiaisonQuerySerializer]))
class LiaisonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.LiaisonSerializer
    permission_classes = [STAFF]

    def get_queryset(self):
        current = False
        if self.action == "list":
            current = query_filters(self.request, serializers.LiaisonQuerySerializer).get(
                "current", False)
        return meeting_selectors.liaison_roster(current_only=current)


