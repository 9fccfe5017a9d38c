"""Admin mixins that apply programs.access to change forms, inlines, bulk actions and deletes."""

from django.core.exceptions import PermissionDenied, ValidationError

from programs import access


class ScopedAdminMixin:
    """Objects outside the user's scope open read-only; saving or deleting them is refused (403)."""

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or access.can_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or access.can_change(request.user, obj))

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        user = request.user

        class ScopedForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                if not access.can_change(user, self.instance):
                    self.add_error(None, ValidationError(access.refusal_message(self.instance)))

        return ScopedForm

    def delete_queryset(self, request, queryset):
        access.ensure_changeable(request.user, queryset)
        super().delete_queryset(request, queryset)

    def get_action(self, action):
        """Bulk actions that change or delete refuse (403) when a selected row is out of scope."""
        found = super().get_action(action)
        if found is None:
            return None
        func, name, description = found
        if not {"change", "delete"} & set(getattr(func, "allowed_permissions", ("change",))):
            return found

        required = getattr(func, "allowed_permissions", ("change",))

        def scoped(modeladmin, request, queryset):
            if not all(getattr(modeladmin, f"has_{perm}_permission")(request) for perm in required):
                raise PermissionDenied
            access.ensure_changeable(request.user, queryset)
            return func(modeladmin, request, queryset)

        scoped.allowed_permissions = required
        return scoped, name, description


class ScopedInlineMixin:
    """Inline rows follow their parent: editable only when the user may change the parent."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or access.can_change(request.user, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or access.can_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or access.can_change(request.user, obj))
