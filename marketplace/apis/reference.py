"""Public reference data: service trades and the county's divisions."""

from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny

from marketplace.models import Category, Division
from marketplace.serializers import CategorySerializer, DivisionSerializer


class CategoryListApi(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = CategorySerializer
    queryset = Category.objects.all()


class DivisionListApi(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = DivisionSerializer
    queryset = Division.objects.all()
