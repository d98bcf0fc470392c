"""POST /api/v1/search/: the header's search over HTTP. The query goes in the body (a name or an
ID number must not sit in an address), the answer holds only what the user may see, and each
search is one audit row (``search.global``, channel ``api``)."""
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from web.api.serializers import Serializer

from ..global_search import QUERY_MAX_LENGTH, global_search


class GlobalSearchRequestSerializer(Serializer):
    q = serializers.CharField(max_length=QUERY_MAX_LENGTH, trim_whitespace=True,
                              help_text="A name in any script or romanisation, an identity "
                                        "document number, a phone number, or a record number.")


class PersonHitSerializer(Serializer):
    id = serializers.IntegerField(source="person.pk")
    name_zh = serializers.CharField(source="person.name_zh")
    name_latin = serializers.CharField(source="person.name_latin")
    documents = serializers.ListField(child=serializers.CharField(), source="masked_documents",
                                      help_text="Identity-document numbers, masked.")
    date_of_birth = serializers.DateField(source="person.date_of_birth")
    district = serializers.CharField(source="person.district")
    open_cases = serializers.IntegerField(help_text="Open cases the user may see.")
    tier = serializers.ChoiceField(choices=["exact", "same_script", "cross_script", "fuzzy"])
    url = serializers.SerializerMethodField()

    def to_representation(self, hit):
        data = super().to_representation(hit)
        data["tier"] = ("exact", "same_script", "cross_script", "fuzzy")[hit.tier]
        return data

    def get_url(self, hit) -> str:
        return reverse("cases:person_detail", args=[hit.person.pk])


class RecordHitSerializer(Serializer):
    kind = serializers.ChoiceField(choices=["case", "verification_request",
                                            "relief_application", "referral", "payment_batch"])
    number = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField()
    url = serializers.CharField(help_text="The record's page.")
    exact = serializers.BooleanField(help_text="The number matched whole, not as a prefix.")


class GlobalSearchResponseSerializer(Serializer):
    count = serializers.IntegerField()
    kinds = serializers.ListField(child=serializers.CharField())
    people = PersonHitSerializer(many=True)
    records = RecordHitSerializer(many=True)


@extend_schema(request=GlobalSearchRequestSerializer, responses=GlobalSearchResponseSerializer,
               tags=["search"])
@api_view(["POST"])
@permission_classes([IsAuthenticated])
def global_search_api(request):
    """People, cases, verification requests, relief applications, referrals and payment
    batches the user may see that the query names, ranked; audited."""
    body = GlobalSearchRequestSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    results = global_search(request.user, body.validated_data["q"], channel="api")
    records = [hit for _kind, _label, hits in results.groups() for hit in hits]
    return Response(GlobalSearchResponseSerializer({
        "count": results.count, "kinds": results.kinds, "people": results.people,
        "records": records}).data)
