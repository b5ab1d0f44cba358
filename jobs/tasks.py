"""The background tasks (Django's tasks framework, `settings.TASKS`, run by `manage.py
db_worker`): a render and an export, each a row of `jobs.models` that says how it went.
Each task also purges a few expired renders and exports, so that they stay bounded without
a timer (`manage.py purge_jobs` does the same at once)."""

from django.tasks import task

from . import services

# The expired rows each task deletes on its way out.
PURGE_BATCH = 20


@task()
def render_task(render_id: int) -> str:
    outcome = services.run_render(render_id)
    services.purge(limit=PURGE_BATCH)
    return outcome


@task()
def export_task(export_id: int) -> str:
    outcome = services.run_export(export_id)
    services.purge(limit=PURGE_BATCH)
    return outcome
