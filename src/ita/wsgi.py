"""The WSGI application gunicorn serves (``ita serve``)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")
application = get_wsgi_application()

# Load every view now, then leave what was loaded out of the garbage collector's passes: it lives
# as long as the process, and a full pass over its ~180,000 objects took about 50 ms, a pause
# every request in flight would wait out (bench/intake.py).
get_resolver().url_patterns  # noqa: B018 - imports the views
gc.collect()
gc.freeze()
