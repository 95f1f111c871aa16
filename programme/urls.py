"""Routes of the programme under /api/v1/programme/."""

from django.urls import path

from programme.apis import (
    candidates,
    career,
    competition_rounds,
    competitions,
    courses,
    enrolments,
    exams,
    fairs,
    health_checks,
)

urlpatterns = [
    path("courses/", courses.CourseListApi.as_view(), name="programme-course-list"),
    path("courses/<int:course_id>/", courses.CourseDetailApi.as_view(), name="programme-course"),
    path(
        "courses/<int:course_id>/transition/",
        courses.CourseTransitionApi.as_view(),
        name="programme-course-transition",
    ),
    path(
        "courses/<int:course_id>/enrol/", courses.CourseEnrolApi.as_view(), name="programme-enrol"
    ),
    path(
        "courses/<int:course_id>/attendance/",
        courses.CourseAttendanceApi.as_view(),
        name="programme-attendance",
    ),
    path("enrolments/", enrolments.EnrolmentListApi.as_view(), name="programme-enrolment-list"),
    path(
        "enrolments/<int:enrolment_id>/complete/",
        enrolments.EnrolmentCompleteApi.as_view(),
        name="programme-enrolment-complete",
    ),
    path(
        "enrolments/<int:enrolment_id>/withdraw/",
        enrolments.EnrolmentWithdrawApi.as_view(),
        name="programme-enrolment-withdraw",
    ),
    path("candidates/", candidates.CandidateListApi.as_view(), name="programme-candidate-list"),
    path(
        "candidates/import/",
        candidates.CandidateImportApi.as_view(),
        name="programme-candidate-import",
    ),
    path(
        "candidates/<int:candidate_id>/",
        candidates.CandidateDetailApi.as_view(),
        name="programme-candidate",
    ),
    path(
        "candidates/<int:candidate_id>/account/",
        candidates.CandidateAccountApi.as_view(),
        name="programme-candidate-account",
    ),
    path(
        "candidates/<int:candidate_id>/link/",
        candidates.CandidateLinkApi.as_view(),
        name="programme-candidate-link",
    ),
    path("exams/", exams.ExamListApi.as_view(), name="programme-exam-list"),
    path("exams/<int:exam_id>/", exams.ExamDetailApi.as_view(), name="programme-exam"),
    path(
        "exams/<int:exam_id>/register/",
        exams.ExamRegisterApi.as_view(),
        name="programme-exam-register",
    ),
    path(
        "exam-registrations/",
        exams.ExamRegistrationListApi.as_view(),
        name="programme-registration-list",
    ),
    path(
        "exam-registrations/<int:registration_id>/result/",
        exams.ExamResultApi.as_view(),
        name="programme-exam-result",
    ),
    path(
        "competitions/",
        competitions.CompetitionListApi.as_view(),
        name="programme-competition-list",
    ),
    path(
        "competitions/<int:competition_id>/",
        competitions.CompetitionDetailApi.as_view(),
        name="programme-competition",
    ),
    path(
        "competitions/<int:competition_id>/entries/",
        competitions.CompetitionEntryListApi.as_view(),
        name="programme-competition-entries",
    ),
    path(
        "competitions/<int:competition_id>/award/",
        competitions.CompetitionAwardApi.as_view(),
        name="programme-competition-award",
    ),
    path(
        "competitions/<int:competition_id>/rounds/",
        competition_rounds.CompetitionRoundListApi.as_view(),
        name="programme-competition-rounds",
    ),
    path(
        "competitions/<int:competition_id>/judges/",
        competition_rounds.CompetitionJudgeListApi.as_view(),
        name="programme-competition-judges",
    ),
    path(
        "competition-entries/<int:entry_id>/round-scores/",
        competition_rounds.CompetitionScoreListApi.as_view(),
        name="programme-competition-round-scores",
    ),
    path(
        "competition-entries/<int:entry_id>/score/",
        competitions.CompetitionEntryScoreApi.as_view(),
        name="programme-entry-score",
    ),
    path("fairs/", fairs.JobFairListApi.as_view(), name="programme-fair-list"),
    path("fairs/<int:fair_id>/", fairs.JobFairDetailApi.as_view(), name="programme-fair"),
    path("openings/", fairs.JobOpeningListApi.as_view(), name="programme-opening-list"),
    path(
        "openings/<int:opening_id>/", fairs.JobOpeningDetailApi.as_view(), name="programme-opening"
    ),
    path("openings/<int:opening_id>/apply/", fairs.JobApplyApi.as_view(), name="programme-apply"),
    path("applications/", fairs.JobApplicationListApi.as_view(), name="programme-application-list"),
    path(
        "applications/<int:application_id>/hire/",
        fairs.JobApplicationActionApi.as_view(verb="hire"),
        name="programme-application-hire",
    ),
    path(
        "applications/<int:application_id>/reject/",
        fairs.JobApplicationActionApi.as_view(verb="reject"),
        name="programme-application-reject",
    ),
    path(
        "applications/<int:application_id>/shortlist/",
        fairs.JobApplicationActionApi.as_view(verb="shortlist"),
        name="programme-application-shortlist",
    ),
    path(
        "applications/<int:application_id>/interview/",
        fairs.JobApplicationInterviewApi.as_view(),
        name="programme-application-interview",
    ),
    path(
        "applications/<int:application_id>/accept/",
        fairs.JobApplicationActionApi.as_view(verb="accept"),
        name="programme-application-accept",
    ),
    path(
        "applications/<int:application_id>/decline/",
        fairs.JobApplicationActionApi.as_view(verb="decline"),
        name="programme-application-decline",
    ),
    path(
        "health-check-sessions/",
        health_checks.HealthCheckSessionListApi.as_view(),
        name="programme-health-session-list",
    ),
    path(
        "health-check-sessions/<int:session_id>/book/",
        health_checks.HealthCheckBookApi.as_view(),
        name="programme-health-book",
    ),
    path(
        "health-check-bookings/",
        health_checks.HealthCheckBookingListApi.as_view(),
        name="programme-health-booking-list",
    ),
    path(
        "health-check-bookings/<int:booking_id>/cancel/",
        health_checks.HealthCheckBookingCancelApi.as_view(),
        name="programme-health-booking-cancel",
    ),
    path(
        "health-check-bookings/<int:booking_id>/result/",
        health_checks.HealthCheckResultApi.as_view(),
        name="programme-health-result",
    ),
    path(
        "applications/<int:application_id>/withdraw/",
        fairs.JobApplicationActionApi.as_view(verb="withdraw"),
        name="programme-application-withdraw",
    ),
]

# A worker's career record sits beside her other `workers/me/…` resources, at the API root
# rather than under /programme/ (backend.urls mounts these there).
career_urlpatterns = [
    path("workers/me/career/", career.OwnCareerApi.as_view(), name="career-own"),
    path("workers/me/career/share/", career.OwnCareerShareApi.as_view(), name="career-share"),
    path("career/shared/<str:token>/", career.SharedCareerApi.as_view(), name="career-shared"),
]
