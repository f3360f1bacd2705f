"""Gunicorn settings for the web process (infra/Dockerfile). Every value can be set from the
environment: WEB_CONCURRENCY workers, GUNICORN_TIMEOUT seconds, PORT."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Behind a proxy that ends TLS: trust its X-Forwarded-* headers (set BEHIND_PROXY=1 for Django too).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
accesslog = "-"
errorlog = "-"
