# One image for the dashboard, the flow worker and the Prefect server (docker-compose.yml).
#
# The base is a build argument: python:3.11-slim where base images can be pulled; where they cannot,
# deploy/bootstrap_base_image.sh makes a Debian bookworm base (Python 3.11) from Debian's packages and
# `make compose-test` builds with --build-arg BASE_IMAGE=perhekeskus-base:bookworm-pango.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

# Optional package index for pip (a mirror or proxy); empty means pip's default (PyPI). A CA bundle
# pip must trust comes with the base image (PIP_CERT there), never from this file.
ARG PIP_INDEX_URL=
ARG PIP_EXTRA_INDEX_URL=
# The runtime user; every mount point below belongs to it (named volumes copy the mount point's owner
# when they are created, and a root-owned /prefect stopped the Prefect server: "unable to open database file").
ARG APP_UID=1000

ENV PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH PERHEKESKUS_HOME=/data \
    PREFECT_SERVER_ANALYTICS_ENABLED=false DO_NOT_TRACK=1 GX_ANALYTICS_ENABLED=false

# Pango and a font for the meeting pack's PDF (WeasyPrint); the bootstrapped base has them already.
RUN dpkg -s libpangoft2-1.0-0 fonts-dejavu-core >/dev/null 2>&1 || { apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fontconfig \
    && rm -rf /var/lib/apt/lists/*; }

# A virtual environment: the same layout on python:3.11-slim and on Debian's own python3.
RUN python3 -m venv /opt/venv

# The runtime user and every mount point, owned by it.
RUN useradd --create-home --uid "$APP_UID" perhekeskus \
    && mkdir -p /data /prefect \
    && chown perhekeskus:perhekeskus /data /prefect

# The sources are built in /src and removed after the install: a folder named perhekeskus/ in the working
# directory would shadow the installed package (its subpackages are mapped from other folders at build time).
WORKDIR /src
# Dependencies (and the build backend) first, from pyproject.toml alone: a change in the code then rebuilds
# in seconds, not minutes.
COPY pyproject.toml ./
RUN [ -n "$PIP_INDEX_URL" ] || unset PIP_INDEX_URL; \
    [ -n "$PIP_EXTRA_INDEX_URL" ] || unset PIP_EXTRA_INDEX_URL; \
    python3 -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb")); \
      print("\n".join(p["build-system"]["requires"] + p["project"]["dependencies"]))' > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt wheel \
    && rm /tmp/requirements.txt
COPY README.md setup.py ./
COPY perhekeskus ./perhekeskus
COPY etl ./etl
COPY warehouse ./warehouse
COPY dashboard ./dashboard
COPY plugins ./plugins
COPY expectations ./expectations
RUN pip install --no-deps --no-build-isolation . ./plugins/statfin && pip check \
    && cd / && rm -rf /src && python -c "import perhekeskus.etl, perhekeskus.dashboard, perhekeskus_statfin"
WORKDIR /data

USER perhekeskus
VOLUME ["/data"]
EXPOSE 8050 4200
CMD ["gunicorn", "--bind", "0.0.0.0:8050", "--workers", "2", "--threads", "4", "perhekeskus.dashboard.wsgi:application"]
