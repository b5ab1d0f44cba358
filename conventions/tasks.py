"""The conventions' background tasks (Django's tasks framework, run by `manage.py
db_worker`)."""

from django.tasks import task

from .search import refresh_search_documents


@task()
def refresh_search_task(ids: list[int]) -> int:
    """The search documents of many conventions: those of an organisation renamed."""
    return refresh_search_documents(ids)
