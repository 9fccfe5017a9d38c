"""Korean names for the model permissions Django creates ("Can view 구축 장비" → "구축 장비 보기").

Django stores each model's four permissions with an English name when `migrate` creates them and
never translates or updates the stored name, so the group and user pages list "Can add log
entry". After every `migrate` (post_migrate, for each app once Django has created that app's
permissions) the built-in ones are renamed from the model's Korean verbose_name; custom
permissions keep their own names. Connected in ProgramsConfig.ready().
"""

from django.utils import translation

ACTIONS = {"add": "추가", "change": "변경", "delete": "삭제", "view": "보기"}


def korean_permission_name(codename: str, model) -> str | None:
    action, _, model_name = codename.partition("_")
    if action not in ACTIONS or model is None or model_name != model._meta.model_name:
        return None
    return f"{model._meta.verbose_name} {ACTIONS[action]}"[:255]


def rename_permissions(app_config, using: str = "default", **kwargs) -> int:
    """Rename the built-in permissions of `app_config`'s models; returns how many changed."""
    from django.contrib.auth.models import Permission

    renamed = 0
    with translation.override("ko"):
        permissions = Permission.objects.using(using).select_related("content_type")
        for permission in permissions.filter(content_type__app_label=app_config.label):
            name = korean_permission_name(permission.codename, permission.content_type.model_class())
            if name and permission.name != name:
                permission.name = name
                permission.save(update_fields=["name"])
                renamed += 1
    return renamed


def rename_permissions_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    if app_config is not None and app_config.models_module is not None:
        rename_permissions(app_config, using=using)
