"""Gunicorn's settings for the site (``gunicorn -c python:web.gunicorn_conf 'web:create_app()'``);
``loket serve`` adds where to listen and how many processes. Settings an older gunicorn does not
know are ignored by it."""

# Threads per process: a slow visitor holds one thread, not a whole process.
worker_class = "gthread"
threads = 4
# Ctrl+C or SIGTERM: requests under way get this long to finish.
graceful_timeout = 10
# No control socket in the home folder (newer gunicorns make one): the supervisor manages the processes.
control_socket_disable = True
