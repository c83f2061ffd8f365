"""Pages every council service must have whoever is signed in: the accessibility statement."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement the Public Sector Bodies Accessibility Regulations 2018 require."""
    return render(request, "ops/accessibility.html", {"nav": ""})


@login_not_required
def healthz(request: HttpRequest) -> JsonResponse:
    """For a load balancer or monitor: the app answers and its database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
