"""The household's request page line for 抢单大厅: `{% request_applications service_request %}`
(the instant-accept switch and the workers who applied, each with an accept button)."""

from django import template

from orders.selectors_open_board import applications_of_request
from orders.statuses import RequestStatus

register = template.Library()


@register.inclusion_tag("web/open_board/_applications.html", takes_context=True)
def request_applications(context, service_request):
    if service_request.household_id != context["request"].user.pk:
        return {"show": False}
    is_open = service_request.status == RequestStatus.OPEN
    return {
        "show": True,
        "is_open": is_open,
        "service_request": service_request,
        "applications": list(applications_of_request(service_request=service_request)),
        "csrf_token": context.get("csrf_token"),
    }
