"""Load the companies app's reference data from fixtures/companies/ (called by `load_plan`).

업종 groups and industries, 권역 and 시·도, the size table and the 성장 메뉴판, each with the plan's
figures exactly as printed (조원/만명 values converted to won/persons). Running it twice changes
nothing: rows are upserted by their natural key.
"""

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from companies.models import (
    GrowthStageMatch,
    GrowthStageProfile,
    Industry,
    IndustryGroup,
    IndustryStanding,
    PopulationTable,
    PopulationTotal,
    Province,
    Region,
    SalesBracketFigure,
    StatedShare,
    WorkforceFigure,
)
from programs.plan_data import tally, upsert
from programs.selectors import program_lookup

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures" / "companies"
TRILLION = 10**12
TEN_THOUSAND = 10**4


def read_fixture(name: str) -> dict:
    return json.loads((FIXTURE_DIR / name).read_text(encoding="utf-8"))


def trillion_to_won(value: str) -> int:
    return int(Decimal(value) * TRILLION)


def _total_values(total: dict, workers: int) -> dict:
    return {
        "firms": total["firms"],
        "workers": workers,
        "sales": trillion_to_won(total["sales_trillion"]),
        "exports": trillion_to_won(total["exports_trillion"]),
    }


def load_industries(counts: Counter) -> None:
    data = read_fixture("industries.json")
    total = data["total"]
    _, action = upsert(PopulationTotal, {"table": PopulationTable.INDUSTRY}, _total_values(total, total["workers"]))
    tally(counts, "현황 표 합계 행", action)
    for group_data in data["groups"]:
        group, action = upsert(
            IndustryGroup,
            {"name": group_data["name"]},
            {
                "order": group_data["order"],
                "plan_firms": group_data["firms"],
                "plan_workers": group_data["workers"],
                "plan_sales": trillion_to_won(group_data["sales_trillion"]),
                "plan_exports": trillion_to_won(group_data["exports_trillion"]),
            },
        )
        tally(counts, "업종 그룹", action)
        for item in group_data["industries"]:
            _, action = upsert(
                Industry,
                {"name": item["name"]},
                {
                    "group": group,
                    "order": item["order"],
                    "aliases": item["aliases"],
                    "plan_firms": item["firms"],
                    "plan_workers": item["workers"],
                    "plan_sales": trillion_to_won(item["sales_trillion"]),
                    "plan_exports": trillion_to_won(item["exports_trillion"]),
                },
            )
            tally(counts, "업종", action)


def load_regions(counts: Counter) -> None:
    data = read_fixture("regions.json")
    province_order = 0
    for region_data in data["regions"]:
        region, action = upsert(
            Region,
            {"name": region_data["name"]},
            {
                "order": region_data["order"],
                "aliases": region_data["aliases"],
                "plan_firms": region_data["firms"],
                "plan_share": Decimal(region_data["share"]),
            },
        )
        tally(counts, "권역", action)
        for name, short_name, aliases in region_data["provinces"]:
            province_order += 1
            _, action = upsert(
                Province,
                {"name": name},
                {
                    "region": region,
                    "order": province_order,
                    "short_name": short_name,
                    "aliases": aliases,
                },
            )
            tally(counts, "시·도", action)


def load_sales_brackets(counts: Counter) -> None:
    data = read_fixture("sales_brackets.json")
    total = data["total"]
    workers = int(Decimal(total["workers_10k"]) * TEN_THOUSAND)
    _, action = upsert(PopulationTotal, {"table": PopulationTable.SIZE}, _total_values(total, workers))
    tally(counts, "현황 표 합계 행", action)
    for row in data["brackets"]:
        _, action = upsert(
            SalesBracketFigure,
            {"bracket": row["bracket"]},
            {
                "plan_firms": row["firms"],
                "plan_firm_share": Decimal(row["firm_share"]),
                "plan_workers": int(Decimal(row["workers_10k"]) * TEN_THOUSAND),
                "plan_worker_share": Decimal(row["worker_share"]),
                "plan_sales": trillion_to_won(row["sales_trillion"]),
                "plan_sales_share": Decimal(row["sales_share"]),
                "plan_exports": trillion_to_won(row["exports_trillion"]),
                "plan_export_share": Decimal(row["export_share"]),
            },
        )
        tally(counts, "매출 규모", action)


def load_growth_stages(counts: Counter) -> None:
    # Imported here: programs are loaded by programs.plan_data before this runs.
    programs = program_lookup()
    data = read_fixture("growth_stages.json")
    for order, stage_data in enumerate(data["stages"], start=1):
        profile, action = upsert(
            GrowthStageProfile,
            {"stage": stage_data["stage"]},
            {
                "order": order,
                "sales_label": stage_data["sales_label"],
                "plan_firms_label": stage_data["plan_firms_label"],
                "plan_share": Decimal(stage_data["plan_share"]),
                "goal": stage_data["goal"],
                "requires_rnd": stage_data["requires_rnd"],
            },
        )
        tally(counts, "성장단계", action)
        for match_order, match in enumerate(stage_data["matches"], start=1):
            program = next(
                (programs[name] for name in map(programs.key, match["program_names"]) if name in programs),
                None,
            )
            _, action = upsert(
                GrowthStageMatch,
                {"profile": profile, "order": match_order},
                {"label": match["label"], "agency": match["agency"], "program": program},
            )
            tally(counts, "성장 메뉴판 매칭 사업", action)
            counts["사업과 연결된 매칭"] += program is not None


def load_standing(counts: Counter) -> None:
    data = read_fixture("standing.json")
    values = {}
    for prefix, row in (("manufacturing", data["manufacturing"]), ("root", data["root"])):
        values[f"{prefix}_firms"] = row["firms"]
        values[f"{prefix}_workers"] = row["workers"]
        values[f"{prefix}_sales"] = trillion_to_won(row["sales_trillion"])
        values[f"{prefix}_exports"] = trillion_to_won(row["exports_trillion"])
    for key, field in (("firms", "firm"), ("workers", "worker"), ("sales", "sales"), ("exports", "export")):
        values[f"{field}_share"] = Decimal(data["shares"][key])
    _, action = upsert(IndustryStanding, {"year": data["year"]}, values)
    tally(counts, "뿌리산업의 위상", action)


def load_workforce(counts: Counter) -> None:
    data = read_fixture("workforce.json")
    for order, row in enumerate(data["columns"], start=1):
        share = row.get("job_share")
        _, action = upsert(
            WorkforceFigure,
            {"year": data["year"], "column": row["column"]},
            {
                "order": order,
                "workers": row["workers"],
                "shortage": row["shortage"],
                "shortage_rate": Decimal(row["shortage_rate"]),
                "job_share": Decimal(share) if share is not None else None,
            },
        )
        tally(counts, "직무별 종사자 수", action)


def load_stated_shares(counts: Counter) -> None:
    for row in read_fixture("stated_shares.json")["shares"]:
        _, action = upsert(
            StatedShare,
            {"measure": row["measure"], "subject": row.get("subject", ""), "year": row["year"]},
            {"value": Decimal(row["value"]), "places": row["places"], "source": row["source"]},
        )
        tally(counts, "현황 본문 비중·비율", action)


def load() -> dict[str, int]:
    counts = Counter()
    loaders = (
        load_industries,
        load_regions,
        load_sales_brackets,
        load_growth_stages,
        load_standing,
        load_workforce,
        load_stated_shares,
    )
    for loader in loaders:
        loader(counts)
    return dict(counts)
