"""The centers app's owner for the access rules: 센터 담당자 manage their own center's requests."""

from programs.access import Owner, assignment_reader

CENTER = Owner(
    name="center",
    assigned_id=assignment_reader("centers.CenterAssignment", "center_id"),
    user_relation="center_assignment__center",
    refusal="다른 센터의 기술지원 신청은 수정할 수 없습니다. 담당 센터의 신청만 관리할 수 있습니다.",
    import_column="센터",
    import_refusal="담당 센터가 아닌 센터의 기술지원 신청은 가져올 수 없습니다.",
)
