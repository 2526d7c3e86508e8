# The backend base: Debian's python3 with Django and psycopg2, `python` on PATH, WORKDIR /app.
FROM migrationdesk-testbed/rootfs:bookworm
RUN ln -sf /usr/bin/python3 /usr/local/bin/python
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 LANG=C.UTF-8
WORKDIR /app
CMD ["python3"]
