"""The 히스토리 page of audited objects: every change says what changed.

django-simple-history compares each record with the next older one on the same page, so the
oldest record of a page shows no change, and a change whose older record does not exist (rows
created in bulk, then changed by an import) shows nothing either. `HistoryAdmin` compares the
page's last record with the record before it (even on the next page) and, for a change made by
an import, shows the values the import's batch recorded before it wrote (ImportBatchRow.before).
The template (config/templates/simple_history/object_history_list.html) says 새로 등록 / 삭제 /
바뀐 값 없음 where there is no difference to list, and "-" for an empty change reason.
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from programs.models import ImportBatchRow

IMPORT_REASON = re.compile(r"^가져오기 #(\d+) \(")


def _display(value) -> str:
    if value is None or value == "":
        return "(빈 값)"
    if isinstance(value, bool):
        return "예" if value else "아니오"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


class HistoryAdmin(SimpleHistoryAdmin):
    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)
        super().set_history_delta_changes(request, records, foreign_keys_are_objs)
        if not records:
            return
        last = records[-1]
        older = self._record_before(last)
        if older is not None:
            delta = older.diff_against(last, foreign_keys_are_objs=foreign_keys_are_objs)
            helper = self.get_historical_record_context_helper(request, last)
            last.history_delta_changes = helper.context_for_delta_changes(delta)
        for record in records:
            if record.history_type == "~" and not getattr(record, "history_delta_changes", None):
                imported = self._import_changes(record)
                if imported:
                    record.history_delta_changes = imported

    def _record_before(self, record):
        pk_name = self.model._meta.pk.attname
        earlier = Q(history_date__lt=record.history_date) | Q(
            history_date=record.history_date, history_id__lt=record.history_id
        )
        return (
            type(record)
            .objects.filter(**{pk_name: getattr(record, pk_name)})
            .filter(earlier)
            .order_by("-history_date", "-history_id")
            .first()
        )

    def _import_changes(self, record) -> list[dict]:
        match = IMPORT_REASON.match(record.history_change_reason or "")
        if not match:
            return []
        object_id = getattr(record, self.model._meta.pk.attname)  # record.pk is the history row's own id
        content_type = ContentType.objects.get_for_model(self.model)
        row = ImportBatchRow.objects.filter(
            batch_id=int(match.group(1)), content_type=content_type, object_id=object_id
        ).first()
        if row is None or not row.before:
            return []
        changes = []
        for name, before in row.before.items():
            try:
                field = self.model._meta.get_field(name)
            except Exception:
                continue
            after = getattr(record, field.attname, None)
            if field.many_to_one:
                related = field.related_model._default_manager.filter(pk__in=[before, after])
                names = {obj.pk: str(obj) for obj in related}
                before, after = names.get(before, before), names.get(after, after)
            changes.append({"field": capfirst(field.verbose_name), "old": _display(before), "new": _display(after)})
        return changes
