"""Models of root companies (뿌리기업), their reference data and their applications."""
from .applications import Application
from .companies import Company
from .reference import Industry, IndustryGroup, Province, Region

__all__ = ["Application", "Company", "Industry", "IndustryGroup", "Province", "Region"]
