"""Routes of the programme under /api/v1/programme/."""

from django.urls import path

from programme.apis import career
from programme.apis import views as v

urlpatterns = [
    path("courses/", v.CourseListApi.as_view(), name="programme-course-list"),
    path("courses/<int:course_id>/", v.CourseDetailApi.as_view(), name="programme-course"),
    path(
        "courses/<int:course_id>/transition/",
        v.CourseTransitionApi.as_view(),
        name="programme-course-transition",
    ),
    path("courses/<int:course_id>/enrol/", v.CourseEnrolApi.as_view(), name="programme-enrol"),
    path(
        "courses/<int:course_id>/attendance/",
        v.CourseAttendanceApi.as_view(),
        name="programme-attendance",
    ),
    path("enrolments/", v.EnrolmentListApi.as_view(), name="programme-enrolment-list"),
    path(
        "enrolments/<int:enrolment_id>/complete/",
        v.EnrolmentCompleteApi.as_view(),
        name="programme-enrolment-complete",
    ),
    path(
        "enrolments/<int:enrolment_id>/withdraw/",
        v.EnrolmentWithdrawApi.as_view(),
        name="programme-enrolment-withdraw",
    ),
    path("candidates/", v.CandidateListApi.as_view(), name="programme-candidate-list"),
    path("candidates/import/", v.CandidateImportApi.as_view(), name="programme-candidate-import"),
    path(
        "candidates/<int:candidate_id>/",
        v.CandidateDetailApi.as_view(),
        name="programme-candidate",
    ),
    path(
        "candidates/<int:candidate_id>/link/",
        v.CandidateLinkApi.as_view(),
        name="programme-candidate-link",
    ),
    path("exams/", v.ExamListApi.as_view(), name="programme-exam-list"),
    path("exams/<int:exam_id>/", v.ExamDetailApi.as_view(), name="programme-exam"),
    path(
        "exams/<int:exam_id>/register/", v.ExamRegisterApi.as_view(), name="programme-exam-register"
    ),
    path(
        "exam-registrations/",
        v.ExamRegistrationListApi.as_view(),
        name="programme-registration-list",
    ),
    path(
        "exam-registrations/<int:registration_id>/result/",
        v.ExamResultApi.as_view(),
        name="programme-exam-result",
    ),
    path("competitions/", v.CompetitionListApi.as_view(), name="programme-competition-list"),
    path(
        "competitions/<int:competition_id>/",
        v.CompetitionDetailApi.as_view(),
        name="programme-competition",
    ),
    path(
        "competitions/<int:competition_id>/entries/",
        v.CompetitionEntryListApi.as_view(),
        name="programme-competition-entries",
    ),
    path(
        "competitions/<int:competition_id>/award/",
        v.CompetitionAwardApi.as_view(),
        name="programme-competition-award",
    ),
    path(
        "competition-entries/<int:entry_id>/score/",
        v.CompetitionEntryScoreApi.as_view(),
        name="programme-entry-score",
    ),
    path("fairs/", v.JobFairListApi.as_view(), name="programme-fair-list"),
    path("fairs/<int:fair_id>/", v.JobFairDetailApi.as_view(), name="programme-fair"),
    path("openings/", v.JobOpeningListApi.as_view(), name="programme-opening-list"),
    path("openings/<int:opening_id>/", v.JobOpeningDetailApi.as_view(), name="programme-opening"),
    path("openings/<int:opening_id>/apply/", v.JobApplyApi.as_view(), name="programme-apply"),
    path("applications/", v.JobApplicationListApi.as_view(), name="programme-application-list"),
    path(
        "applications/<int:application_id>/hire/",
        v.JobApplicationActionApi.as_view(verb="hire"),
        name="programme-application-hire",
    ),
    path(
        "applications/<int:application_id>/reject/",
        v.JobApplicationActionApi.as_view(verb="reject"),
        name="programme-application-reject",
    ),
    path(
        "applications/<int:application_id>/withdraw/",
        v.JobApplicationActionApi.as_view(verb="withdraw"),
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
