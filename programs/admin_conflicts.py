"""Admin mixins that keep concurrent saves from losing each other's changes.

`ConflictSafeAdminMixin` goes first in every ModelAdmin of the project (a test holds this); editable
inlines of versioned models take `VersionedInlineMixin`. Together they give:

- Stale forms refused. Every change form, inline row and list_editable row of a versioned model
  (programs.versioning) carries the version it was opened at (hidden). Validation compares it with
  the stored version — read under a row lock inside the admin's transaction — and refuses with a
  Korean error saying what changed since, when and by whom (from the audit trail), with a link to
  reload. The save itself is a compare-and-swap on that version, so a change committed between the
  validation and the save is refused too.
- Bulk actions: each row's checkbox carries its version; an action over rows changed since the list
  was shown runs on none of them and says which changed and how.
- Races as form errors. Two staff adding the same program-month execution at once: the second
  INSERT breaks the unique constraint (IntegrityError), or a compare-and-swap fails, or the
  database gives up on a lock. The admin's transaction is rolled back and the same POST is
  validated again, now seeing what the other save committed: the user gets the form back with the
  error its own validation gives (e.g. "이미 존재합니다"). If the second attempt fails the same way,
  a third shows the database's reason as a form error. Nothing is half-saved in any case.
"""

from functools import partial

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connections, router, transaction
from django.forms import formsets, modelformset_factory
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from programs.db_errors import database_message
from programs.history import changes_since
from programs.versioning import VersionConflict, is_versioned, lock_versions

RETRIED = (IntegrityError, OperationalError, VersionConflict)
# OperationalErrors worth another try: a lock the database gave up on (PostgreSQL deadlock or
# serialisation failure, SQLite busy). Others (a missing table...) are bugs and stay 500s.
LOCK_WORDS = ("deadlock", "lock", "could not serialize")


def _retryable(exc: Exception) -> bool:
    return not isinstance(exc, OperationalError) or any(word in str(exc).lower() for word in LOCK_WORDS)
ACTION_VERSION_FIELD = "_selected_version"
SHOWN = 5


def _notes_html(model, pk, version):
    notes = changes_since(model, pk, version)
    if not notes:
        return "바뀐 내용의 기록이 없습니다(목록 일괄 변경 등)."
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((str(note),) for note in notes)))


def stale_form_error(form, *, reload_url: str):
    """The error for a form whose row changed since the form was opened, or None."""
    instance = form.instance
    model = type(instance)
    if not is_versioned(model) or instance.pk is None or instance._state.adding or "version" not in form.fields:
        return None
    posted = form.cleaned_data.get("version")
    if posted is None or not form.has_changed():
        return None  # no version sent (no check), or a row that will not be saved
    if connections[router.db_for_write(model)].in_atomic_block:
        current = lock_versions(model, [instance.pk]).get(instance.pk)
    else:
        current = form.loaded_version
    if current == posted:
        return None
    name = f"{model._meta.verbose_name} 「{model._base_manager.filter(pk=instance.pk).first() or instance}」"
    verb = "지웠습니다" if current is None else "바꿨습니다"
    return ValidationError(
        format_html(
            "이 화면을 연 뒤 다른 곳에서 {}을(를) {}. 그 변경을 덮어쓰지 않도록 저장하지 않았습니다. 바뀐 내용: {}"
            '<a href="{}">최신 내용으로 다시 불러오기</a>(이 화면에 입력한 내용은 사라지니 필요하면 옮겨 적어 두세요).',
            name,
            verb,
            _notes_html(model, instance.pk, posted),
            reload_url,
        ),
        code="stale",
    )


def guarded_form(form_class, *, reload_url: str, refusal: str | None = None, main: bool = False):
    """`form_class` with the staleness check and, after failed retries, the database's refusal
    (on the main form always, on inline and list rows when they would be saved)."""

    class GuardedForm(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.loaded_version = getattr(self.instance, "version", None)

        def _post_clean(self):
            super()._post_clean()
            if refusal and (main or self.has_changed()):
                self.add_error(None, refusal)
            error = stale_form_error(self, reload_url=reload_url)
            if error is not None:
                self.add_error(None, error)

    GuardedForm.__name__ = form_class.__name__
    return GuardedForm


def stale_selection_message(model, request) -> str | None:
    """For a bulk action: the selected rows whose version moved since the list was shown."""
    if request.POST.get("select_across") == "1":
        return None  # rows the user never saw: nothing to compare with
    selected = set(request.POST.getlist(helpers.ACTION_CHECKBOX_NAME))
    shown = {}
    for item in request.POST.getlist(ACTION_VERSION_FIELD):
        pk, _, version = item.partition(":")
        if pk in selected and version.isdigit():
            shown[int(pk)] = int(version)
    if not shown:
        return None
    current = lock_versions(model, shown)
    stale = sorted(pk for pk, version in shown.items() if current.get(pk) != version)
    if not stale:
        return None
    objects = model._base_manager.in_bulk(stale[:SHOWN])
    parts = []
    for pk in stale[:SHOWN]:
        notes = changes_since(model, pk, shown[pk], limit=2)
        what = "; ".join(str(note) for note in notes) or ("삭제됨" if pk not in objects else "기록 없음")
        parts.append(f"「{objects.get(pk, pk)}」 — {what}")
    more = f" 외 {len(stale) - SHOWN:,}건" if len(stale) > SHOWN else ""
    return (
        f"목록을 연 뒤 다른 곳에서 바뀐 {model._meta.verbose_name}이(가) 있어 선택한 행을 하나도 바꾸지 않았습니다: "
        f"{' / '.join(parts)}{more}. 목록을 다시 불러온 뒤 다시 선택하세요."
    )


def refusal_text(exc: Exception) -> str:
    if isinstance(exc, VersionConflict):
        return "저장하는 사이 다른 곳에서 이 자료를 바꿔 저장하지 않았습니다. 최신 내용으로 다시 불러온 뒤 저장하세요."
    return f"데이터베이스가 저장을 거부하여 아무것도 저장하지 않았습니다: {database_message(exc)}"


class _ManagementFormWithVersions(formsets.ManagementForm):
    """The list_editable formset's management form, followed by each row's hidden version: the
    admin's change list renders only the list_editable fields and the pk of a row form."""

    formset = None

    def render(self, template_name=None, context=None, renderer=None):
        html = super().render(template_name, context, renderer)
        versions = "".join(str(form["version"]) for form in self.formset.forms if "version" in form.fields)
        return mark_safe(html + versions)

    __str__ = render
    __html__ = render


def _management_form_with_versions(formset):
    form = formsets.BaseFormSet.management_form.func(formset)
    form.__class__ = _ManagementFormWithVersions
    form.formset = formset
    return form


class VersionedFormMixin:
    """Puts the hidden version field into the form's fieldsets (where the admin renders fields),
    for those who may save the form; view-only pages do not show it."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not is_versioned(self.model) or not fieldsets:
            return fieldsets
        if isinstance(self, InlineModelAdmin):
            editable = self.has_change_permission(request, obj) or self.has_add_permission(request, obj)
        elif obj is not None:
            editable = self.has_change_permission(request, obj)
        else:
            editable = self.has_add_permission(request)
        present = "version" in flatten_fieldsets(fieldsets)
        if editable and not present:
            (name, options), *rest = fieldsets
            return [(name, {**options, "fields": [*options["fields"], "version"]}), *rest]
        if not editable and present:
            return [
                (name, {**options, "fields": [field for field in options["fields"] if field != "version"]})
                for name, options in fieldsets
            ]
        return fieldsets


class VersionedInlineMixin(VersionedFormMixin):
    """For editable inlines of versioned models (their rows are checked by the parent's admin)."""


class ConflictSafeAdminMixin(VersionedFormMixin):
    """See the module docstring. Goes before admin.ModelAdmin (or SimpleHistoryAdmin) in the bases."""

    # --- retries around the saving views ----------------------------------------------------------
    def _saving(self, request, run):
        if request.method != "POST":
            return run()
        try:
            return run()
        except RETRIED as exc:
            if not _retryable(exc):
                raise
            # Rolled back; validate again, now seeing what the other save committed.
        try:
            return run()
        except RETRIED as exc:
            if not _retryable(exc):
                raise
            request._save_refusal = refusal_text(exc)
        return run()

    def response_action(self, request, queryset):
        """Refuse selections that are not ids of this list (a forged or stale POST), in Korean."""
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                self.model._meta.pk.to_python(value)
        except ValidationError:
            messages.error(
                request, "선택한 항목이 올바르지 않아 아무것도 하지 않았습니다. 목록을 다시 열어 선택해 주세요."
            )
            return None  # the list again, nothing done
        return super().response_action(request, queryset)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        view = super().changeform_view
        return self._saving(request, lambda: view(request, object_id, form_url, extra_context))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """simple-history's revert form, which Django does not run in a transaction: this one does."""
        view = super().history_form_view

        def run():
            with transaction.atomic(using=router.db_for_write(self.model)):
                return view(request, object_id, version_id, extra_context)

        return self._saving(request, run)

    def changelist_view(self, request, extra_context=None):
        view = super().changelist_view
        if not (request.method == "POST" and self.list_editable and "_save" in request.POST):
            return view(request, extra_context)

        def run():
            # Validation inside the transaction too, so its row locks last until the save.
            with transaction.atomic(using=router.db_for_write(self.model)):
                return view(request, extra_context)

        return self._saving(request, run)

    # --- forms -------------------------------------------------------------------------------------
    def _guard(self, request, form_class, *, main=False):
        refusal = getattr(request, "_save_refusal", None)
        return guarded_form(form_class, reload_url=request.get_full_path(), refusal=refusal, main=main)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and is_versioned(self.model) and getattr(obj, "_history", None) is not None:
            # simple-history's "revert to this version" form: compare with the row as it is now.
            obj.version = self.model._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
        return self._guard(request, super().get_form(request, obj, change=change, **kwargs), main=True)

    def get_changelist_form(self, request, **kwargs):
        return self._guard(request, super().get_changelist_form(request, **kwargs))

    def get_changelist_formset(self, request, **kwargs):
        if not (is_versioned(self.model) and self.list_editable):
            return super().get_changelist_formset(request, **kwargs)
        # As Django builds it, with the version among the fields and rendered after the management form.
        defaults = {"formfield_callback": partial(self.formfield_for_dbfield, request=request), **kwargs}
        fields = [*self.list_editable, "version"]
        form = self.get_changelist_form(request)
        formset = modelformset_factory(self.model, form, extra=0, fields=fields, **defaults)
        return type(formset.__name__, (formset,), {"management_form": cached_property(_management_form_with_versions)})

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            guarded = type(formset.__name__, (formset,), {"form": self._guard(request, formset.form)})
            yield guarded, inline

    # --- bulk actions ------------------------------------------------------------------------------
    def action_checkbox(self, obj):
        checkbox = super().action_checkbox(obj)
        if not is_versioned(self.model):
            return checkbox
        hidden = format_html('<input type="hidden" name="{}" value="{}:{}">', ACTION_VERSION_FIELD, obj.pk, obj.version)
        return format_html("{}{}", checkbox, hidden)

    def get_action(self, action):
        found = super().get_action(action)
        if found is None or not is_versioned(self.model):
            return found
        func, name, description = found

        def checked(modeladmin, request, queryset):
            with transaction.atomic(using=router.db_for_write(modeladmin.model)):
                refusal = stale_selection_message(modeladmin.model, request)
                if refusal:
                    modeladmin.message_user(request, refusal, messages.ERROR)
                    return None
                return func(modeladmin, request, queryset)

        if hasattr(func, "allowed_permissions"):
            checked.allowed_permissions = func.allowed_permissions
        return checked, name, description
