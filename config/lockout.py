"""Login lockout (django-axes): one account from one address, and one address across accounts.

axes counts the failures of each group of AXES_LOCKOUT_PARAMETERS and compares the largest count
with a single limit. An address that tries many usernames must be locked too (otherwise 30
guessed usernames from one address are never stopped), but at a higher limit than one account:
the staff of a ministry share their office's address, and five typos spread over colleagues must
not lock them all out. axes has no limit per group, so this handler counts the address-only
group in units of AXES_ADDRESS_FAILURE_LIMIT: `limit` failures from an address weigh as much as
AXES_FAILURE_LIMIT failures of one account. A successful login forgets that account's failures
only: resetting the address too would let anyone who can log in from it unlock every account
tried from it.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum

ADDRESS_ONLY = "ip_address"


def is_address_only(group) -> bool:
    return group in (ADDRESS_ONLY, [ADDRESS_ONLY])


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        account_limit = get_failure_limit(request, credentials)
        counts = [0]
        groups = get_lockout_parameters(request, credentials)
        for group, attempts in zip(groups, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if is_address_only(group):
                failures = failures * account_limit // settings.AXES_ADDRESS_FAILURE_LIMIT
            counts.append(failures)
        return max(counts)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        groups = get_lockout_parameters(request, credentials)
        attempts = self.filter_user_attempts(request, credentials)
        return sum(
            queryset.delete()[0] for group, queryset in zip(groups, attempts, strict=True) if not is_address_only(group)
        )
