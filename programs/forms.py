"""Forms of the plan app."""

from django import forms

from programs.models import Ministry
from programs.years import year_choices


class ReportRequestForm(forms.Form):
    """Parameters of the committee workbook: the year and, optionally, one ministry."""

    year = forms.TypedChoiceField(label="기준연도", choices=year_choices, coerce=int)
    ministry = forms.ModelChoiceField(
        label="소관부처",
        queryset=Ministry.objects.all(),
        required=False,
        empty_label="전체 부처",
        widget=forms.Select(attrs={"id": "report-ministry"}),
    )
