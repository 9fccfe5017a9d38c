"""A synthetic population of root companies whose counts follow the plan's tables.

`allocate` splits N companies over 업종, 권역 and 매출 규모 by the largest-remainder method, so that
at N = 64,061 the counts equal the plan's tables exactly and for smaller N they are proportional.

The plan's size table (「뿌리산업 규모별 현황」) sums to 64,060, one short of the 64,061 of its other
tables and of its own '전 체' row. The table stays as printed (SalesBracketFigure); the generator
gives the odd company to `ODD_COMPANY_BRACKET` (5억 미만, the largest bracket: 31,187 of 64,061 is
still the printed 48.7%). At N = 64,061 that bracket has plan + 1 companies, every other one equals
the plan.
"""

import datetime
import random
from collections import Counter
from dataclasses import dataclass

from companies.choices import EOK, SALES_BRACKET_LOWER_BOUNDS, ApplicationStatus, SalesBracket
from programs.identifiers import brn_check_digit

PLAN_TOTAL = 64_061
ODD_COMPANY_BRACKET = SalesBracket.UNDER_5
APPLICATIONS_AT_PLAN_TOTAL = 100_000
SYNTHETIC_NAME = "가상뿌리기업"
SYNTHETIC_BRN_PREFIX = "99"  # 사업자등록번호 990-99-xxxxx..: no real tax office issues these
TOP_BRACKET_CEILING = 5_000 * EOK


def largest_remainder(weights: dict, total: int) -> dict:
    """Split `total` in proportion to `weights`, integer parts first, then the largest remainders."""
    weight_sum = sum(weights.values())
    quotas = {key: weight * total / weight_sum for key, weight in weights.items()}
    counts = {key: int(quota) for key, quota in quotas.items()}
    rest = total - sum(counts.values())
    order = sorted(weights, key=lambda key: (-(quotas[key] - counts[key]), -weights[key]))
    for key in order[:rest]:
        counts[key] += 1
    return counts


def bracket_weights(plan_firms: dict) -> dict:
    """The size table's firm counts plus the documented odd company (sums to 64,061)."""
    weights = dict(plan_firms)
    weights[ODD_COMPANY_BRACKET] += PLAN_TOTAL - sum(plan_firms.values())
    return weights


@dataclass
class Allocation:
    industries: Counter
    regions: Counter
    brackets: Counter


def allocate(count: int, *, industry_firms: dict, region_firms: dict, bracket_firms: dict) -> Allocation:
    return Allocation(
        industries=Counter(largest_remainder(industry_firms, count)),
        regions=Counter(largest_remainder(region_firms, count)),
        brackets=Counter(largest_remainder(bracket_weights(bracket_firms), count)),
    )


def expand(counts: Counter, rng: random.Random) -> list:
    items = [key for key, n in counts.items() for _ in range(n)]
    rng.shuffle(items)
    return items


def synthetic_brn(serial: int) -> str:
    first_nine = f"{SYNTHETIC_BRN_PREFIX}{serial:07d}"
    return first_nine + str(brn_check_digit(first_nine))


def sales_in_bracket(bracket: int, rng: random.Random) -> int:
    bounds = [*sorted(SALES_BRACKET_LOWER_BOUNDS.values()), TOP_BRACKET_CEILING]
    lower, upper = bounds[bracket - 1], bounds[bracket]
    low_million, high_million = lower // 1_000_000, upper // 1_000_000 - 1
    return rng.randint(max(low_million, 10), high_million) * 1_000_000


EMPLOYEES_BY_BRACKET = {
    1: (1, 9),
    2: (3, 20),
    3: (10, 60),
    4: (30, 120),
    5: (60, 300),
    6: (150, 800),
    7: (500, 5000),
}


def company_records(
    count: int, allocation: Allocation, provinces_by_region: dict, *, seed: int = 2025, first: int = 1
):
    """Field values of `count` synthetic companies (FK objects for industry and province), numbered
    from `first` (their 사업자등록번호 and names follow the number)."""
    rng = random.Random(seed)
    industries = expand(allocation.industries, rng)
    regions = expand(allocation.regions, rng)
    brackets = expand(allocation.brackets, rng)
    today = datetime.date(2025, 4, 1)
    for serial in range(count):
        region = regions[serial]
        province = rng.choice(provinces_by_region[region.pk])
        bracket = int(brackets[serial])
        sales = sales_in_bracket(bracket, rng)
        low, high = EMPLOYEES_BY_BRACKET[bracket]
        employees = rng.randint(low, high)
        exporting = rng.random() < 0.3
        certified = rng.random() < 0.6
        yield {
            "brn": synthetic_brn(first + serial),
            "name": f"{SYNTHETIC_NAME} {first + serial:05d}",
            "representative": "가상대표",
            "address": f"{province.name} 가상로 {first + serial}",
            "province": province,
            "industry": industries[serial],
            "founded_on": datetime.date(rng.randint(1970, 2023), rng.randint(1, 12), rng.randint(1, 28)),
            "employees": employees,
            "foreign_workers": rng.randint(0, employees // 5),
            "sales_amount": sales,
            "export_amount": (sales * rng.randint(1, 60) // 100 // 1_000_000 * 1_000_000) if exporting else 0,
            "financial_year": 2023,
            "has_rnd_capacity": rng.random() < (0.7 if bracket >= 5 else 0.15),
            "is_myeongga": rng.random() < 0.005,
            "is_good_workplace": rng.random() < 0.01,
            "is_tech_specialist": rng.random() < 0.01,
            "certificate_number": f"가상-{serial + 1:06d}" if certified else "",
            "certificate_issued_on": today - datetime.timedelta(days=rng.randint(0, 4 * 365)) if certified else None,
            "contact_email": f"contact{serial + 1}@example.com",
            "memo": "",
        }


STATUS_WEIGHTS = {
    2025: {
        ApplicationStatus.RECEIVED: 30,
        ApplicationStatus.REVIEWING: 20,
        ApplicationStatus.SELECTED: 20,
        ApplicationStatus.REJECTED: 15,
        ApplicationStatus.AGREED: 10,
        ApplicationStatus.CANCELLED: 5,
    },
    2024: {ApplicationStatus.COMPLETED: 50, ApplicationStatus.REJECTED: 35, ApplicationStatus.CANCELLED: 15},
}


def application_records(company_count: int, program_ids: list[int], *, seed: int = 2025, total: int | None = None):
    """(company index, program id, year, status, requested amount) tuples, unique per company/program/year."""
    if not program_ids or not company_count:
        return []
    rng = random.Random(seed + 1)
    total = total if total is not None else round(company_count * APPLICATIONS_AT_PLAN_TOTAL / PLAN_TOTAL)
    seen, records = set(), []
    while len(records) < total:
        company, program = rng.randrange(company_count), rng.choice(program_ids)
        year = 2025 if rng.random() < 0.75 else 2024
        if (company, program, year) in seen:
            continue
        seen.add((company, program, year))
        statuses = STATUS_WEIGHTS[year]
        status = rng.choices(list(statuses), weights=list(statuses.values()))[0]
        records.append((company, program, year, status, rng.randint(1, 50) * 10_000_000))
    return records
