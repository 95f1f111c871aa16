"""A year of job fairs: fifteen, on-site and online; agencies post openings, women apply, and
some are hired onto an agency's roster. Draws from the programme year's Random after the
competitions."""

import datetime as dt

from demo.bulk import DemoSummary, local_at, stamps_set
from demo.programme import ProgrammeYear
from marketplace.models import Agency, AgencyStaff, RosterEntry
from programme.models import (
    ApplicationStatus,
    FairMode,
    FairStatus,
    JobApplication,
    JobFair,
    JobOpening,
    OpeningStatus,
)

FAIR_COUNT = 15
COMING_FAIR_DAYS = 12
OPENING_TRADES = ["housekeeper", "maternity_nurse", "elderly_carer", "infant_carer"]


def _fairs_create(year: ProgrammeYear) -> list[JobFair]:
    fairs = []
    for index in range(FAIR_COUNT):
        held = year.year_ago + dt.timedelta(days=10 + index * 23)
        if index == FAIR_COUNT - 1:  # the last one is coming: its applications are open
            held = year.today + dt.timedelta(days=COMING_FAIR_DAYS)
        division = year.divisions[(index * 5) % len(year.divisions)]
        mode = FairMode.ONLINE if index % 3 == 2 else FairMode.ONSITE
        fairs.append(
            JobFair(
                name=f"家政美家专场招聘会（第{index + 1}场）",
                mode=mode,
                held_on=held,
                place="线上" if mode == FairMode.ONLINE else f"{division.name_zh}文化广场",
                division=division,
                status=FairStatus.CLOSED if held < year.today else FairStatus.OPEN,
                created_by=year.officer,
            )
        )
    fairs = JobFair.objects.bulk_create(fairs)
    stamps_set(fairs, created_at=[local_at(f.held_on - dt.timedelta(days=20), 9) for f in fairs])
    return fairs


def _openings_create(year: ProgrammeYear, fairs: list[JobFair], owners: dict) -> list:
    """Three agencies post an opening at every fair."""
    rng, openings = year.rng, []
    agencies = list(Agency.objects.order_by("pk"))
    for fair in fairs:
        for agency in rng.sample(agencies, 3):
            code = rng.choice(OPENING_TRADES)
            low = rng.randrange(300000, 500001, 50000)
            openings.append(
                JobOpening(
                    fair=fair,
                    agency=agency,
                    title=f"{year.categories[code].name_zh}",
                    category=year.categories[code],
                    positions=rng.randint(2, 6),
                    salary_min=low,
                    salary_max=low + 200000,
                    division=agency.division,
                    status=OpeningStatus.CLOSED
                    if fair.held_on < year.today
                    else OpeningStatus.OPEN,
                    created_by_id=owners.get(agency.pk),
                )
            )
    openings = JobOpening.objects.bulk_create(openings)
    created = [local_at(o.fair.held_on - dt.timedelta(days=10), 9) for o in openings]
    stamps_set(openings, created_at=created)
    return openings


def _hires(
    opening: JobOpening, free_iter, owners: dict, rng, today: dt.date
) -> list[JobApplication]:
    """Up to two women not yet on a roster, hired three days after the fair."""
    held, applications = opening.fair.held_on, []
    decided_by = owners.get(opening.agency_id)
    wanted = min(opening.positions, rng.randint(0, 2))
    if held >= today:
        return []  # a coming fair has hired nobody yet
    for _ in range(wanted):
        worker_id = next(free_iter, None)
        if worker_id is None:
            break
        entry = RosterEntry(
            agency_id=opening.agency_id,
            worker_id=worker_id,
            status=RosterEntry.Status.ACTIVE,
            started_on=held + dt.timedelta(days=3),
            created_by_id=decided_by,
        )
        applications.append(
            JobApplication(
                opening=opening,
                worker_id=worker_id,
                status=ApplicationStatus.HIRED,
                decided_at=local_at(held + dt.timedelta(days=3), 11),
                decided_by_id=decided_by,
                hired_at=local_at(held + dt.timedelta(days=3), 11),
                roster_entry=entry,
            )
        )
        opening.hired_count += 1
    return applications


def _other_applications(
    year: ProgrammeYear, opening: JobOpening, hired: list, applicants: list, owners: dict
) -> list[JobApplication]:
    """One to four more applicants: turned down after a past fair, still waiting otherwise."""
    held, rng = opening.fair.held_on, year.rng
    is_past = held < year.today
    taken = {a.worker_id for a in hired}
    count = rng.randint(1, 4)
    others = [w for w in rng.sample(applicants, 6) if w not in taken][: 4 if not is_past else count]
    return [
        JobApplication(
            opening=opening,
            worker_id=worker_id,
            status=ApplicationStatus.REJECTED if is_past else ApplicationStatus.APPLIED,
            decided_at=local_at(held + dt.timedelta(days=3), 11) if is_past else None,
            decided_by_id=owners.get(opening.agency_id) if is_past else None,
        )
        for worker_id in others
    ]


# Applications at coming fairs, in turn: every state an agency moves them through.
COMING_STATES = [
    ApplicationStatus.APPLIED,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFERED,
    ApplicationStatus.WITHDRAWN,
]


def _states_spread(year: ProgrammeYear, applications: list, owners: dict) -> None:
    """Coming fairs' applications take every state in turn (an offer is a roster invitation
    she has not answered); every fourth turned-down one at a past fair is an offer she
    declined. No draws: the turn is the application's place in the list."""
    rostered = set(
        RosterEntry.objects.filter(status=RosterEntry.Status.ACTIVE).values_list(
            "agency_id", "worker_id"
        )
    )
    turn = declined = 0
    for application in applications:
        opening, held = application.opening, application.opening.fair.held_on
        decided_by = owners.get(opening.agency_id)
        if application.status == ApplicationStatus.APPLIED:
            state = COMING_STATES[turn % len(COMING_STATES)]
            turn += 1
            if state == ApplicationStatus.OFFERED and (
                (opening.agency_id, application.worker_id) in rostered
            ):
                state = ApplicationStatus.INTERVIEW
            application.status = state
            if state == ApplicationStatus.INTERVIEW:
                application.interview_at = local_at(held + dt.timedelta(days=1), 10)
                application.interview_place = f"{opening.agency.name}办公室"
            if state == ApplicationStatus.OFFERED:
                application.roster_entry = RosterEntry(
                    agency_id=opening.agency_id,
                    worker_id=application.worker_id,
                    status=RosterEntry.Status.INVITED,
                    created_by_id=decided_by,
                )
            if state != ApplicationStatus.APPLIED:
                application.decided_at = local_at(year.today - dt.timedelta(days=1), 16)
                application.decided_by_id = decided_by
        elif application.status == ApplicationStatus.REJECTED:
            declined += 1
            if declined % 4 == 0:
                application.status = ApplicationStatus.DECLINED
                application.roster_entry = RosterEntry(
                    agency_id=opening.agency_id,
                    worker_id=application.worker_id,
                    status=RosterEntry.Status.ENDED,
                    ended_on=held + dt.timedelta(days=4),
                    end_reason="服务员拒绝邀请",
                    created_by_id=decided_by,
                )


def demo_fairs_ensure(*, year: ProgrammeYear, summary: DemoSummary) -> None:
    """The fifteen fairs, their openings, applications and hires."""
    owners = dict(
        AgencyStaff.objects.filter(staff_role=AgencyStaff.StaffRole.OWNER).values_list(
            "agency_id", "user_id"
        )
    )
    rostered = set(
        RosterEntry.objects.filter(status=RosterEntry.Status.ACTIVE).values_list(
            "worker_id", flat=True
        )
    )
    free = [worker_id for worker_id, _division in year.trainees if worker_id not in rostered]
    year.rng.shuffle(free)
    fairs = _fairs_create(year)
    openings = _openings_create(year, fairs, owners)
    applications, free_iter = [], iter(free)
    applicants = [w for w, _d in year.trainees]
    for opening in openings:
        hired = _hires(opening, free_iter, owners, year.rng, year.today)
        applications += hired + _other_applications(year, opening, hired, applicants, owners)
    _states_spread(year, applications, owners)
    roster = [a.roster_entry for a in applications if a.roster_entry is not None]
    RosterEntry.objects.bulk_create(roster)
    for application in applications:
        if application.roster_entry is not None:
            application.roster_entry_id = application.roster_entry.pk
    applied_on = [a.opening.fair.held_on for a in applications]
    applications = JobApplication.objects.bulk_create(applications)
    stamps_set(applications, applied_at=[local_at(day, 10) for day in applied_on])
    JobOpening.objects.bulk_update(openings, ["hired_count"])
    summary.add("job_fairs", len(fairs))
    summary.add("job_openings", len(openings))
    summary.add("job_applications", len(applications))
    summary.add("roster_entries", len(roster))
