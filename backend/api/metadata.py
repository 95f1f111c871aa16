"""OPTIONS answers for the API: DRF's metadata, minus the form description for views that have
no serializer class (they document bodies with @extend_schema); DRF's default asserted on those
and answered OPTIONS with a 500 (found by the schemathesis run)."""

from rest_framework.metadata import SimpleMetadata


class ApiMetadata(SimpleMetadata):
    def determine_actions(self, request, view):
        # Imported here: rest_framework.generics imports the views, which read this setting.
        from rest_framework.generics import GenericAPIView

        has_serializer = getattr(view, "serializer_class", None) is not None or (
            type(view).get_serializer_class is not GenericAPIView.get_serializer_class
        )
        if isinstance(view, GenericAPIView) and not has_serializer:
            return {}
        return super().determine_actions(request, view)
