"""Template hooks the exchange pages use to show the broker workspace's parts of a profile."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template
from django.utils.translation import gettext as _

from qiao.deals import permissions, selectors
from qiao.deals.forms import PassForm
from qiao.exchange.models import Profile

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from qiao.accounts.models import User

    AnyUser = User | AnonymousUser

register = template.Library()


@register.simple_tag(takes_context=True)
def profile_owner(context: template.Context, profile: Profile) -> str:
    """The owner organisation's name, or a placeholder while an anonymous profile hides it."""
    if permissions.can_see_profile_owner(context["request"].user, profile):
        return profile.organization.display_name()
    return _("Organisation not disclosed")


@register.simple_tag(takes_context=True)
def owner_visible(context: template.Context, profile: Profile) -> bool:
    return permissions.can_see_profile_owner(context["request"].user, profile)


@register.inclusion_tag("deals/_profile_panel.html", takes_context=True)
def interest_panel(context: template.Context, profile: Profile) -> dict[str, Any]:
    user = context["request"].user
    out: dict[str, Any] = {"profile": profile, "request": context["request"]}
    out.update(_interest_state(user, profile))
    out["login_to_contact"] = not user.is_authenticated and profile.interest_open
    out["can_pass"] = permissions.can_pass(user, profile)
    out["passed"] = selectors.pass_of_organization(user=user, profile=profile)
    if out["can_pass"]:
        out["pass_form"] = PassForm(
            initial={"reason": out["passed"].reason} if out["passed"] else None
        )
    if permissions.can_see_pass_reasons(user, profile):
        counts, comments = selectors.pass_summary(profile=profile)
        out["pass_counts"] = counts
        out["pass_total"] = sum(c.count for c in counts)
        out["pass_comments"] = comments
    return out


@register.inclusion_tag("deals/_match_interest.html", takes_context=True)
def match_interest(context: template.Context, profile: Profile) -> dict[str, Any]:
    """On a match page: express interest in the other side's profile, or how it went."""
    out = _interest_state(context["request"].user, profile)
    return {**out, "profile": profile, "request": context["request"]}


def _interest_state(user: AnyUser, profile: Profile) -> dict[str, Any]:
    return {
        "can_express": permissions.can_express_interest(user, profile),
        "interest": selectors.interest_of_organization(user=user, profile=profile),
    }
