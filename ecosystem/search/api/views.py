"""The global search, suggestions and the signed-in person's saved searches. Hits are only
what the caller may open (the same selectors as the web page)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..models import SavedSearch
from .serializers import (
    ErrorSerializer,
    SavedSearchSerializer,
    SavedSearchUpdateSerializer,
    SearchQuerySerializer,
    SearchResultSerializer,
    SuggestionQuerySerializer,
    SuggestionsSerializer,
)

BAD = OpenApiResponse(ErrorSerializer, description="Invalid parameters")


class SearchApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="Search the whole portal, best match first, with facet counts",
        parameters=[SearchQuerySerializer], responses={200: SearchResultSerializer, 400: BAD},
    )
    def get(self, request):
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = dict(params.validated_data)
        result = selectors.search(viewer=request.user, query=data.pop("q"),
                                  page=data.pop("page", 1), filters=data)
        if not result.facets:
            result.facets = {name: [] for name in selectors.FACETS}
        return Response(SearchResultSerializer(result).data)


class SuggestionsApi(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        summary="Titles that start like what is being typed (for a search box)",
        parameters=[SuggestionQuerySerializer], responses={200: SuggestionsSerializer, 400: BAD},
    )
    def get(self, request):
        params = SuggestionQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data["q"]
        hits = selectors.suggest(viewer=request.user, query=query)
        return Response(SuggestionsSerializer({"query": query, "results": hits}).data)


class SavedSearchListApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="Your saved searches", responses={
        200: SavedSearchSerializer(many=True), 403: OpenApiResponse(ErrorSerializer)})
    def get(self, request):
        return Response(SavedSearchSerializer(request.user.saved_searches.all(), many=True).data)

    @extend_schema(
        summary="Save a search; it alerts only for what is published from now on",
        request=SavedSearchSerializer,
        responses={201: SavedSearchSerializer, 400: BAD, 403: OpenApiResponse(ErrorSerializer),
                   409: OpenApiResponse(ErrorSerializer, description="Already saved")},
    )
    def post(self, request):
        data = SavedSearchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved = services.saved_search_create(owner=request.user, **data.validated_data)
        return Response(SavedSearchSerializer(saved).data, status=status.HTTP_201_CREATED)


class SavedSearchDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def _get(self, request, pk) -> SavedSearch:
        return get_object_or_404(SavedSearch, pk=pk, owner=request.user)

    @extend_schema(summary="One of your saved searches", responses={
        200: SavedSearchSerializer, 403: OpenApiResponse(ErrorSerializer),
        404: OpenApiResponse(ErrorSerializer)})
    def get(self, request, pk):
        return Response(SavedSearchSerializer(self._get(request, pk)).data)

    @extend_schema(summary="Rename it or change how often you are told",
                   request=SavedSearchUpdateSerializer,
                   responses={200: SavedSearchSerializer, 400: BAD,
                              403: OpenApiResponse(ErrorSerializer),
                              404: OpenApiResponse(ErrorSerializer)})
    def patch(self, request, pk):
        saved = self._get(request, pk)
        data = SavedSearchUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved = services.saved_search_update(saved_search=saved, actor=request.user,
                                             **data.validated_data)
        return Response(SavedSearchSerializer(saved).data)

    @extend_schema(summary="Delete it", responses={
        204: None, 403: OpenApiResponse(ErrorSerializer), 404: OpenApiResponse(ErrorSerializer)})
    def delete(self, request, pk):
        services.saved_search_delete(saved_search=self._get(request, pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

