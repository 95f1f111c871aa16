"""Every write of the programme: courses, candidates, exams, competitions, job fairs."""
