"""Invariants of 특화단지 운영위원회 and training outcomes, in clean() and in the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from centers.choices import CommitteeUnit, InstitutionKind, InstitutionStatus
from centers.models import (
    CommitteeMeeting,
    OperatingCommittee,
    SpecializedComplex,
    SupportCenter,
    TrainingInstitution,
    TrainingOutcome,
)
from companies.models import Province, Region

pytestmark = pytest.mark.django_db


def test_the_2025_change_from_province_to_region_committees_is_representable():
    ulsan = Province.objects.get(short_name="울산")
    complex_ = SpecializedComplex.objects.get(name="3D프린팅특화단지")
    provincial = OperatingCommittee.objects.create(
        name="울산 특화단지운영위원회",
        unit=CommitteeUnit.PROVINCE,
        province=ulsan,
        start_year=2024,
        end_year=2024,
    )
    regional = OperatingCommittee.objects.create(
        name="경남권 특화단지운영위원회", unit=CommitteeUnit.REGION, region=ulsan.region, start_year=2025
    )
    provincial.complexes.add(complex_)
    regional.complexes.add(complex_)
    CommitteeMeeting.objects.create(committee=regional, held_on="2025-05-20", agenda="권역 공동과제 발굴", attendees=14)
    assert set(complex_.committees.values_list("unit", flat=True)) == {
        CommitteeUnit.PROVINCE,
        CommitteeUnit.REGION,
    }
    assert regional.area == Region.objects.get(name="경남권")
    assert provincial.area == ulsan


@pytest.mark.parametrize(
    "fields",
    [
        {"unit": CommitteeUnit.REGION},  # a 권역 committee without its 권역
        {"unit": CommitteeUnit.PROVINCE, "with_region": True},  # a 광역 committee given a 권역
    ],
)
def test_a_committee_must_name_the_area_of_its_unit(fields):
    region = Region.objects.get(name="수도권")
    committee = OperatingCommittee(name="위원회", unit=fields["unit"], start_year=2025)
    if fields.get("with_region"):
        committee.region = region
    with pytest.raises(ValidationError):
        committee.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        committee.save()


def test_a_regional_support_center_needs_a_province():
    center = SupportCenter(kind="regional", name="지역뿌리기술지원센터(미정)")
    with pytest.raises(ValidationError) as error:
        center.full_clean()
    assert "province" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        center.save()


def make_institution(kind=InstitutionKind.FOREIGN_UNIVERSITY, name="테스트 양성기관"):
    return TrainingInstitution.objects.create(kind=kind, name=name, status=InstitutionStatus.DESIGNATED)


def test_visa_changes_are_recorded_only_for_foreign_workforce_universities():
    polytech = TrainingInstitution.objects.get(name="한국폴리텍대학 포항캠퍼스")
    outcome = TrainingOutcome(institution=polytech, year=2025, trainees=40, graduates=30, hired=20, visa_changes=5)
    with pytest.raises(ValidationError) as error:
        outcome.full_clean()
    assert error.value.message_dict["visa_changes"] == ["비자 전환 인원은 외국인 기술인력 양성대학만 입력합니다."]
    foreign = make_institution()
    TrainingOutcome(institution=foreign, year=2025, trainees=40, graduates=30, hired=20, visa_changes=5).full_clean()


def test_outcome_counts_are_nested_in_the_database():
    institution = make_institution()
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingOutcome.objects.create(institution=institution, year=2025, graduates=10, hired=11)
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingOutcome.objects.create(institution=institution, year=2025, graduates=10, hired=5, visa_changes=6)
