"""Forms of the plan app."""

from django import forms

from programs.models import Ministry
from programs.years import year_choices


class ReportRequestForm(forms.Form):
    """Parameters of the committee workbook: the year and, optionally, one ministry."""

    # Its own dropdown of the plan years held, preset to the page's year: a report of another
    # year without leaving the page. The years come from the request's cached list (no query).
    year = forms.TypedChoiceField(label="기준연도", coerce=int, widget=forms.Select(attrs={"id": "report-year"}))
    ministry = forms.ModelChoiceField(
        label="소관부처",
        queryset=Ministry.objects.all(),
        required=False,
        empty_label="전체 부처",
        widget=forms.Select(attrs={"id": "report-ministry"}),
    )

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(request)
