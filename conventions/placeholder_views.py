"""PLACEHOLDER, only on the `schedule` branch: the convention page is built on another branch
(URL name `conventions:detail`, kwarg `reference`). Here it only shows the schedule, so that
the échéancier's links lead somewhere. Drop this module when merging that branch."""

from django.shortcuts import get_object_or_404, render

from users.perms import staff_required

from .models import Convention


@staff_required
def detail(request, reference):
    convention = get_object_or_404(Convention, reference=reference)
    return render(
        request,
        "conventions/placeholder_detail.html",
        {"convention": convention, "dependents": convention.dependents_ending_with_it()},
    )
