"""The procurement API. Same two steps as the pages: fetch through a permission QuerySet (404),
then one service. Errors come out as {"message", "code", "fields"}."""

import datetime as dt

from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from ecosystem.api.parsers import JSONParser
from ecosystem.errors import InvalidInput, NotFound

from .. import ocds, selectors, services
from .. import permissions as rules
from ..filters import CallFilter
from ..models import Lot, Release
from ..views import _serve
from .serializers import (
    ApplicationCreateSerializer,
    ApplicationDocumentSerializer,
    ApplicationSerializer,
    ApplicationUpdateSerializer,
    CallDetailSerializer,
    CallSerializer,
    DeclarationSerializer,
    QuestionAskSerializer,
    QuestionSerializer,
    ScoresheetSerializer,
    ScoresheetWriteSerializer,
    UploadSerializer,
)

OCDS_PACKAGE = {"type": "object", "description": "An OCDS 1.1 release package."}


@extend_schema_view(
    list=extend_schema(summary="List calls for innovation procurement"),
    retrieve=extend_schema(summary="One call with criteria, lots, documents and amendments"),
)
class CallViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = CallFilter
    ordering_fields = ["submission_deadline", "publication_date"]

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.call_detail_queryset(viewer=self.request.user)
        return selectors.call_list(viewer=self.request.user)

    def get_serializer_class(self):
        return CallDetailSerializer if self.action == "retrieve" else CallSerializer

    @extend_schema(summary="The call's OCDS release package (every release so far)",
                   responses={200: OCDS_PACKAGE})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def ocds(self, request, pk=None):
        call = self.get_object()
        releases = Release.objects.filter(call=call).order_by("id").values_list("data", flat=True)
        return Response(ocds.release_package(releases=releases,
                                             uri=request.build_absolute_uri()))

    @extend_schema(methods=["get"], summary="Answered clarification questions (public)",
                   responses=QuestionSerializer(many=True))
    @extend_schema(methods=["post"], summary="Ask a clarification question",
                   request=QuestionAskSerializer, responses={201: QuestionSerializer})
    @action(detail=True, methods=["get", "post"], filter_backends=[], pagination_class=None,
            serializer_class=QuestionSerializer)
    def questions(self, request, pk=None):
        call = self.get_object()
        if request.method == "GET":
            return Response(QuestionSerializer(selectors.public_questions(call=call),
                                               many=True).data)
        data = QuestionAskSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = rules.applicant_organisations(request.user).filter(
            slug=data.validated_data["organisation"]).first()
        if organisation is None:
            raise NotFound(_("Ask on behalf of an organisation you belong to."),
                           fields={"organisation": [_("Not one of your organisations.")]})
        question = services.question_ask(call=call, actor=request.user,
                                         organisation=organisation,
                                         text=data.validated_data["text"])
        return Response(QuestionSerializer(question).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Your organisations' applications"),
    retrieve=extend_schema(summary="One of your organisations' applications"),
    create=extend_schema(summary="Start a draft application", request=ApplicationCreateSerializer),
    partial_update=extend_schema(summary="Change a draft (answers per criterion id, lots)",
                                 request=ApplicationUpdateSerializer),
)
class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, mixins.UpdateModelMixin,
                         viewsets.GenericViewSet):
    """Only the applicant organisation's own applications, in every state."""

    serializer_class = ApplicationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["call", "status"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return (rules.applications_of_applicant(self.request.user)
                .select_related("organisation")
                .prefetch_related("lots", "documents")
                .order_by("-created_at", "-id"))

    def create(self, request, *args, **kwargs):
        data = ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call = get_object_or_404(rules.calls_visible_to(request.user),
                                 pk=data.validated_data["call"])
        organisation = rules.applicant_organisations(request.user).filter(
            slug=data.validated_data["organisation"]).first()
        if organisation is None:
            raise NotFound(_("Apply on behalf of an organisation you belong to."),
                           fields={"organisation": [_("Not one of your organisations.")]})
        application = services.application_create(call=call, organisation=organisation,
                                                  actor=request.user)
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        application = self.get_object()
        data = ApplicationUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lots = None
        if "lots" in data.validated_data:
            numbers = set(data.validated_data["lots"])
            lots = list(Lot.objects.filter(call_id=application.call_id, number__in=numbers))
            if len(lots) != len(numbers):
                raise InvalidInput(_("Unknown lot number."), fields={"lots": [_("Unknown lot.")]})
        services.application_update(application=application, actor=request.user,
                                    answers=data.validated_data.get("answers"), lots=lots)
        return Response(ApplicationSerializer(self.get_queryset().get(pk=application.pk)).data)

    def update(self, request, *args, **kwargs):
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(summary="Submit before the deadline; the answer holds the receipt",
                   request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        application = services.application_submit(application=self.get_object(),
                                                  actor=request.user)
        return Response(ApplicationSerializer(application).data)

    @extend_schema(summary="Withdraw a submitted application before the deadline", request=None)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        application = services.application_withdraw(application=self.get_object(),
                                                    actor=request.user)
        return Response(ApplicationSerializer(application).data)

    @extend_schema(methods=["get"], summary="The application's documents",
                   responses=ApplicationDocumentSerializer(many=True))
    @extend_schema(methods=["post"], summary="Upload a document (PDF, ODT, DOCX, XLSX)",
                   request={"multipart/form-data": UploadSerializer},
                   responses={201: ApplicationDocumentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def documents(self, request, pk=None):
        application = self.get_object()
        if request.method == "GET":
            return Response(ApplicationDocumentSerializer(application.documents.all(),
                                                          many=True).data)
        data = UploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        document = services.application_document_add(application=application, actor=request.user,
                                                     upload=data.validated_data["file"])
        return Response(ApplicationDocumentSerializer(document).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(methods=["get"], summary="Download a document", responses={200: OpenApiTypes.BINARY})
    @extend_schema(methods=["delete"], summary="Delete a document of a draft", responses={204: None})
    @action(detail=True, methods=["get", "delete"], url_path=r"documents/(?P<document_id>\d+)",
            filter_backends=[], pagination_class=None)
    def document(self, request, pk=None, document_id=None):
        application = self.get_object()
        document = get_object_or_404(application.documents, pk=document_id)
        if request.method == "GET":
            return _serve(document.file, document.original_name, document.content_type)
        services.application_document_delete(document=document, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Your own scoresheets"),
    retrieve=extend_schema(summary="One of your scoresheets"),
    create=extend_schema(summary="Score an application (creates or updates your scoresheet)",
                         request=ScoresheetWriteSerializer),
)
class ScoresheetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                        mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = ScoresheetSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["application"]

    def get_queryset(self):
        return rules.scoresheets_of(self.request.user).prefetch_related("scores").order_by("id")

    def create(self, request, *args, **kwargs):
        data = ScoresheetWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = get_object_or_404(rules.applications_evaluable_by(request.user),
                                         pk=data.validated_data["application"])
        scores = {item["criterion"]: (item["value"], item["justification"])
                  for item in data.validated_data.get("scores", [])}
        sheet = services.scoresheet_save(application=application, actor=request.user,
                                         scores=scores, comment=data.validated_data.get("comment"))
        return Response(ScoresheetSerializer(self.get_queryset().get(pk=sheet.pk)).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="Submit and lock the scoresheet", request=None)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        sheet = services.scoresheet_submit(scoresheet=self.get_object(), actor=request.user)
        return Response(ScoresheetSerializer(self.get_queryset().get(pk=sheet.pk)).data)


class ConflictDeclarationApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="Declare (no) conflict of interest with an applicant",
                   request=DeclarationSerializer, responses={201: DeclarationSerializer})
    def post(self, request):
        data = DeclarationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = get_object_or_404(rules.applications_to_declare(request.user),
                                         pk=data.validated_data["application"])
        declaration = services.conflict_declare(
            application=application, actor=request.user,
            has_conflict=data.validated_data["has_conflict"],
            note=data.validated_data.get("note", ""))
        return Response({"application": declaration.application_id,
                         "has_conflict": declaration.has_conflict,
                         "note": declaration.note}, status=status.HTTP_201_CREATED)


def _parse_when(value: str | None, name: str, *, end: bool = False):
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            raise InvalidInput(_("Give a date (YYYY-MM-DD) or an ISO 8601 date-time."),
                               fields={name: [_("Invalid date.")]})
        parsed = dt.datetime.combine(day, dt.time.max if end else dt.time.min)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, dt.UTC)
    return parsed


# A date or an ISO 8601 date-time (empty: no bound), what _parse_when takes.
WHEN_SCHEMA = {"anyOf": [{"type": "string", "format": "date"},
                         {"type": "string", "format": "date-time"}]}
RELEASE_PARAMS = [
    OpenApiParameter("date_from", WHEN_SCHEMA,
                     description="Releases on or after (date or date-time)"),
    OpenApiParameter("date_to", WHEN_SCHEMA,
                     description="Releases on or before (date or date-time)"),
]


def _release_rows(request):
    try:
        date_from = _parse_when(request.query_params.get("date_from"), "date_from")
        date_to = _parse_when(request.query_params.get("date_to"), "date_to", end=True)
    except (ValueError, OverflowError):
        raise InvalidInput(_("Invalid date."), fields={"date_from": [_("Invalid date.")]}) from None
    return selectors.releases(date_from=date_from, date_to=date_to)


class OcdsReleasesApi(APIView):
    """Every release, oldest first, in pages: follow the ``Link: rel="next"`` header (or pass
    ``after`` = the last release's position). Each page is a valid OCDS release package."""

    permission_classes = [permissions.AllowAny]
    DEFAULT, MAXIMUM = 100, 1000

    @extend_schema(
        summary="All OCDS releases, paginated (filter by date)",
        parameters=RELEASE_PARAMS + [
            OpenApiParameter("after", int, description="Position of the last release seen"),
            OpenApiParameter("page_size", int, description="Releases per page (max 1000)"),
        ],
        responses={200: OCDS_PACKAGE},
    )
    def get(self, request):
        rows = _release_rows(request).order_by("id")
        try:
            after = int(request.query_params.get("after") or 0)
            size = min(max(int(request.query_params.get("page_size") or self.DEFAULT), 1),
                       self.MAXIMUM)
        except ValueError:
            raise InvalidInput(_("after and page_size are whole numbers.")) from None
        page = list(rows.filter(id__gt=after).annotate(text=Cast("data", TextField()))
                    .values_list("id", "date", "text")[: size + 1])
        more = len(page) > size
        page = page[:size]
        # The stored release texts are joined as they are: no decoding and re-encoding.
        body = ocds.package_text(releases=[text for _pk, _date, text in page],
                                 uri=request.build_absolute_uri(),
                                 published_date=max((date for _pk, date, _t in page), default=None))
        response = HttpResponse(body, content_type="application/json")
        if more:
            query = request.query_params.copy()
            query["after"] = str(page[-1][0])
            query["page_size"] = str(size)
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
            response["Link"] = f'<{next_url}>; rel="next"'
        return response


class OcdsReleasesStreamApi(APIView):
    """The whole feed as one release package, streamed (constant memory)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(summary="All OCDS releases as one streamed package", parameters=RELEASE_PARAMS,
                   responses={200: OCDS_PACKAGE})
    def get(self, request):
        rows = (_release_rows(request).order_by("id")
                .annotate(text=Cast("data", TextField())).values_list("text", flat=True))
        body = ocds.stream_release_package(rows=rows.iterator(chunk_size=500),
                                           uri=request.build_absolute_uri())
        return StreamingHttpResponse(body, content_type="application/json")

