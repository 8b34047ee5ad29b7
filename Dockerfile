# One image for the dashboard and the flow worker; the Prefect server uses the same image.
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PERHEKESKUS_HOME=/data \
    PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 GX_ANALYTICS_ENABLED=false
WORKDIR /app
COPY pyproject.toml README.md ./
COPY etl ./etl
COPY warehouse ./warehouse
COPY dashboard ./dashboard
COPY plugins ./plugins
COPY expectations ./expectations
RUN pip install . && useradd --create-home --uid 1000 perhekeskus && mkdir -p /data && chown perhekeskus /data
USER perhekeskus
VOLUME ["/data"]
EXPOSE 8050
CMD ["gunicorn", "--bind", "0.0.0.0:8050", "--workers", "2", "--threads", "4", "perhekeskus.dashboard.wsgi:application"]
