"""django-import-export tuned as far as it goes, for the same companies file (the fair peer).

Starting from bench/default_resource.py (same fields and widgets), everything the library
offers to go faster: `use_bulk` (bulk_create / bulk_update in batches), `skip_diff` (no
before/after export of each row), `CachedInstanceLoader` (the stored companies fetched in bulk
instead of one query per row, with their 시·도/업종 joined), foreign-key widgets that look
시·도/업종 up in a dict loaded once, and the file read with python-calamine into the tablib
Dataset (tablib's own xlsx reader goes through openpyxl, several times slower).
"""

import io

import tablib
from import_export import instance_loaders, widgets
from python_calamine import CalamineWorkbook

from bench.default_resource import DefaultCompanyResource
from companies.models import Industry, Province


class CachedForeignKeyWidget(widgets.ForeignKeyWidget):
    """ForeignKeyWidget answering from a dict of name → object loaded on first use."""

    def clean(self, value, row=None, **kwargs):
        if not value:
            return None
        if not hasattr(self, "_cache"):
            self._cache = {getattr(obj, self.field): obj for obj in self.get_queryset(value, row, **kwargs)}
        try:
            return self._cache[value]
        except KeyError:
            raise ValueError(f"{self.model.__name__} {value!r} not found") from None


class ChunkedCachedInstanceLoader(instance_loaders.CachedInstanceLoader):
    """The library's CachedInstanceLoader, fetching in chunks (SQLite refuses 64,061 parameters)."""

    def __init__(self, resource, dataset=None):
        instance_loaders.ModelInstanceLoader.__init__(self, resource, dataset)
        pk_field_name = self.resource.get_import_id_fields()[0]
        self.pk_field = self.resource.fields[pk_field_name]
        self.all_instances = {}
        if self.dataset.dict and self.pk_field.column_name in self.dataset.dict[0]:
            ids = [self.pk_field.clean(row) for row in self.dataset.dict]
            for start in range(0, len(ids), 5000):
                queryset = self.get_queryset().filter(**{f"{self.pk_field.attribute}__in": ids[start : start + 5000]})
                self.all_instances.update({self.pk_field.get_value(obj): obj for obj in queryset})


class TunedCompanyResource(DefaultCompanyResource):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["province"].widget = CachedForeignKeyWidget(Province, "name")
        self.fields["industry"].widget = CachedForeignKeyWidget(Industry, "name")

    def get_queryset(self):
        # The stored rows come with their 시·도/업종: comparing a row does not fetch them one by one.
        return super().get_queryset().select_related("province", "industry")

    class Meta(DefaultCompanyResource.Meta):
        use_bulk = True
        batch_size = 2000
        skip_diff = True
        skip_unchanged = False  # skip_diff leaves nothing to compare with: every row is written
        instance_loader_class = ChunkedCachedInstanceLoader


class TunedReimportResource(TunedCompanyResource):
    """For a re-import: `skip_unchanged` (rows equal to the stored ones are not written) needs the
    diff that `skip_diff` turns off, so this one keeps the comparison and drops only the HTML diff.
    With `skip_diff` every row would go through bulk_update, whose CASE … WHEN statements grow with
    the batch (3,000 unchanged rows: 27 s on PostgreSQL)."""

    class Meta(TunedCompanyResource.Meta):
        skip_diff = False
        skip_html_diff = True
        skip_unchanged = True


def calamine_dataset(data: bytes) -> tablib.Dataset:
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    dataset = tablib.Dataset(headers=rows[0])
    for row in rows[1:]:
        dataset.append([int(value) if isinstance(value, float) and value.is_integer() else value for value in row])
    return dataset
