"""The centers app's owner for the access rules: 센터 담당자 manage their own center's requests."""

from programs.access import Owner


def assigned_center_id(user) -> int | None:
    if not hasattr(user, "_assigned_center_id"):
        from centers.models import CenterAssignment

        assignment = CenterAssignment.objects.filter(user_id=user.pk).only("center_id").first()
        user._assigned_center_id = assignment.center_id if assignment else None
    return user._assigned_center_id


CENTER = Owner(
    name="center",
    assigned_id=assigned_center_id,
    user_relation="center_assignment__center",
    refusal="다른 센터의 기술지원 신청은 수정할 수 없습니다. 담당 센터의 신청만 관리할 수 있습니다.",
    import_column="센터",
    import_refusal="담당 센터가 아닌 센터의 기술지원 신청은 가져올 수 없습니다.",
)
