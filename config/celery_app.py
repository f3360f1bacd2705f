"""The Celery app, tenant-aware: a task runs in the schema of the request or command that queued it.

Without REDIS_URL, tasks run eagerly in the calling process (settings.CELERY_TASK_ALWAYS_EAGER).
Start a worker with: celery -A config.celery_app worker -l info
"""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = CeleryApp("borgerbudget")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
