"""SpiffWorkflow behind a small API: models, instances, persistence, jobs, sandbox.

Never imports Flask. The web layer and `processes/` talk to the engine through
:class:`engine.service.Engine` and the query helpers in :mod:`engine.queries`.
"""
