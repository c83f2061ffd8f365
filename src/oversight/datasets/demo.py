"""Demo: the demo team manager corrects the records of two teams, so the worklist has something to show."""

from __future__ import annotations

from django.contrib.auth.models import User

from .models import Dataset, WorklistTeam
from .services import NO_TEAM, all_teams


def assign_demo_worklists(username: str = "team.manager", teams: int = 2) -> str:
    user = User.objects.filter(username=username).first()
    ds = Dataset.objects.filter(status=Dataset.Status.PUBLISHED).order_by("-as_at").first()
    if user is None or ds is None:
        return "Demo worklists: no team manager or published dataset; none assigned."
    names = [t for t in all_teams(ds) if t != NO_TEAM][:teams]
    for name in names:
        WorklistTeam.objects.get_or_create(user=user, team=name)
    return f"Demo worklists: {username} corrects the records of {', '.join(names) or 'no team'}."
