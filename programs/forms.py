"""Forms of the plan app."""

from django import forms
from django.conf import settings

from programs.models import Ministry


class ReportRequestForm(forms.Form):
    """Parameters of the committee workbook: the year and, optionally, one ministry."""

    year = forms.IntegerField(label="기준연도", min_value=2000, max_value=2100, initial=settings.PLAN_YEAR)
    ministry = forms.ModelChoiceField(
        label="소관부처",
        queryset=Ministry.objects.all(),
        required=False,
        empty_label="전체 부처",
        widget=forms.Select(attrs={"id": "report-ministry"}),
    )
