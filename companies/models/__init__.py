"""Models of root companies (뿌리기업), their reference data and their applications."""

from .applications import Application
from .companies import Company
from .industry_status import IndustryStanding, PopulationTable, PopulationTotal, StatedShare, WorkforceFigure
from .plan_figures import GrowthStageMatch, GrowthStageProfile, SalesBracketFigure
from .reference import Industry, IndustryGroup, Province, Region

__all__ = [
    "Application",
    "Company",
    "GrowthStageMatch",
    "GrowthStageProfile",
    "Industry",
    "IndustryGroup",
    "IndustryStanding",
    "PopulationTable",
    "PopulationTotal",
    "Province",
    "Region",
    "SalesBracketFigure",
    "StatedShare",
    "WorkforceFigure",
]
