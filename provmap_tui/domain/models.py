"""Pydantic models of a provision map. Validation here is what every form,
import and exchange document shares; money is integer pence throughout."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from provmap_tui.domain import codes
from provmap_tui.domain.calendar import parse_academic_year
from provmap_tui.domain.upn import validate_upn


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False, defer_build=True)


class SchoolSettings(_Model):
    name: str = Field(min_length=1, max_length=120)
    urn: str = ""
    academic_year: str
    threshold_pence: int = Field(default=600_000, ge=0)
    oncost_percent: Decimal = Field(default=Decimal("0"), ge=0, le=200)
    passport_dir: str = ""
    version: int = 0

    @field_validator("academic_year")
    @classmethod
    def _year(cls, v: str) -> str:
        parse_academic_year(v)
        return v

    @field_validator("urn")
    @classmethod
    def _urn(cls, v: str) -> str:
        v = (v or "").strip()
        if v and not (v.isdigit() and 6 <= len(v) <= 7):
            raise ValueError("a URN is 6 or 7 digits, e.g. 123456")
        return v


class FundingStream(_Model):
    code: str = Field(min_length=1, max_length=12, pattern=r"^[A-Z0-9_-]+$")
    name: str = Field(min_length=1)
    budget_pence: int = Field(default=0, ge=0)
    counts_toward_threshold: bool = False
    version: int = 0


class Staff(_Model):
    id: str = Field(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1)
    role: str = "TA"
    hourly_rate_pence: int = Field(ge=0)
    username: str | None = None
    version: int = 0


class PassportFields(_Model):
    liked_admired: str = ""
    important_to_me: str = ""
    helps: str = ""
    does_not_help: str = ""
    strengths: str = ""


class Pupil(_Model):
    upn: str
    forename: str = Field(min_length=1)
    surname: str = Field(min_length=1)
    preferred_forename: str = ""
    preferred_surname: str = ""
    dob: date | None = None
    sex: str = ""
    year_group: int | None = None
    reg_group: str = ""
    sen_status: str = "N"
    needs: list[str] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    left_on: date | None = None
    passport: PassportFields = Field(default_factory=PassportFields)
    notes: str = ""
    version: int = 0

    @field_validator("upn")
    @classmethod
    def _upn(cls, v: str) -> str:
        return validate_upn(v)

    @field_validator("sen_status")
    @classmethod
    def _status(cls, v: str) -> str:
        return codes.check_sen_status(v)

    @field_validator("needs")
    @classmethod
    def _needs(cls, v: list[str]) -> list[str]:
        return [codes.check_need_shape(c) for c in v]

    @field_validator("flags")
    @classmethod
    def _flags(cls, v: list[str]) -> list[str]:
        return sorted({codes.check_flag(c) for c in v})

    @field_validator("year_group", mode="before")
    @classmethod
    def _year(cls, v: object) -> int | None:
        if v is None or v == "":
            return None
        return codes.parse_year_group(v)  # type: ignore[arg-type]

    @model_validator(mode="after")
    def _census(self) -> Pupil:
        codes.check_needs_for_status(self.sen_status, self.needs)
        return self

    @property
    def name(self) -> str:
        """The name staff use: preferred forename and surname where given."""
        return f"{self.preferred_forename or self.forename} {self.preferred_surname or self.surname}"

    @property
    def legal_name(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def on_register(self) -> bool:
        return self.sen_status in codes.REGISTER_STATUSES

    def has_left(self, as_of: date) -> bool:
        """Left the school by as_of: a leaving date later in the year still counts as on roll."""
        return self.left_on is not None and self.left_on <= as_of


class Intervention(_Model):
    name: str = Field(min_length=1, max_length=120)
    area: str
    description: str = ""
    default_minutes: int = Field(default=30, ge=1, le=600)
    default_sessions_per_week: int = Field(default=1, ge=1, le=25)
    default_group_size: int = Field(default=1, ge=1, le=40)
    default_role: str = "TA"
    phase: str = "all"
    source: str = "school"
    version: int = 0

    @field_validator("area")
    @classmethod
    def _area(cls, v: str) -> str:
        return codes.check_area(v)


class StaffAssignment(_Model):
    staff_id: str
    hourly_rate_pence: int | None = Field(default=None, ge=0)


class Membership(_Model):
    upn: str
    start: date | None = None
    end: date | None = None

    @model_validator(mode="after")
    def _order(self) -> Membership:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"leaves {self.end} before joining {self.start}; swap the dates")
        return self


class Provision(_Model):
    id: str = Field(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9_-]+$")
    intervention: str = Field(min_length=1)
    staff: list[StaffAssignment] = Field(default_factory=list)
    minutes: int = Field(ge=1, le=600)
    sessions_per_week: int = Field(ge=1, le=25)
    start: date | None = None
    end: date | None = None
    weeks: int | None = Field(default=None, ge=1, le=52)
    funding_stream: str = "SEN"
    resource_cost_pence: int = Field(default=0, ge=0)
    per_pupil_cost_pence: int = Field(default=0, ge=0)
    notes: str = ""
    members: list[Membership] = Field(default_factory=list)
    version: int = 0

    @model_validator(mode="after")
    def _shape(self) -> Provision:
        if self.end is not None and self.weeks is not None:
            raise ValueError("give an end date or a number of weeks, not both")
        if self.weeks is not None and self.start is None:
            raise ValueError("a provision of N weeks needs a start date")
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"ends {self.end} before it starts {self.start}; swap the dates")
        seen: set[str] = set()
        for m in self.members:
            if m.upn in seen:
                raise ValueError(f"pupil {m.upn} is added twice; remove one")
            seen.add(m.upn)
        staff_ids = [s.staff_id for s in self.staff]
        if len(set(staff_ids)) != len(staff_ids):
            raise ValueError("a member of staff is listed twice; list each once")
        return self
