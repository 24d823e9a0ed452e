"""IIT and EIT self-assessment surveys: campaigns, public links, QR codes, anonymous responses.

Owns ``Campaign`` (agency × tool × fiscal year, bound to that year's framework), its public
``CampaignLink`` (unguessable, revocable, replaceable), one-time codes (``TokenBatch`` and the
unused ``Token`` rows), anonymous ``Response`` rows, the interviewers' ``InterviewTally``, the
respondent form, results scored by the engine, exports, the poster and slips PDFs, and the
self-assessment panel of the dashboard (a template tag, so ``assessments`` need not import
this app).

Imports ``agencies`` (access), ``catalog``, ``scoring``, ``assessments`` (official results to
compare with) and ``audit``. Must not import ``measures``, ``reports``, ``oit`` or ``importers``.

Anonymity is a property of the schema, not only of the code: a response row holds no user, address,
browser, code or time finer than the day, and the order rows are stored in is shuffled
(docs/security.md says precisely what is and is not guaranteed).
"""
