from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class CountWhenNeededPaginator(Paginator):
    """Django's paginator that runs COUNT(*) only when the page cannot tell the count: a page
    fetched with one row more than it shows and coming back short gives the total itself (most
    polled feeds fit on their first page). A full page or a page past the end counts as before,
    so `count`, `next` and `previous` (and the errors) are Django's exactly."""

    def page(self, number):
        try:
            number = int(number) if not isinstance(number, float) else number
        except (TypeError, ValueError):
            return super().page(number)  # Django's own error for a page that is not a number
        # A page far past any real list (an OFFSET SQLite cannot hold) is Django's EmptyPage.
        if not isinstance(number, int) or number < 1 or number > MAX_PAGE or self.orphans:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            return super().page(number)  # past the end: Django's EmptyPage
        if len(rows) > self.per_page:
            return self._get_page(rows[: self.per_page], number, self)  # count on demand
        self.count = bottom + len(rows)
        return self._get_page(rows, number, self)


class StandardPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    django_paginator_class = CountWhenNeededPaginator
