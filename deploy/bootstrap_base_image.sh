#!/usr/bin/env bash
# Make a Python 3.11 base image from Debian's own packages, for machines that cannot pull base images.
#
#   deploy/bootstrap_base_image.sh [IMAGE_TAG]        (default perhekeskus-base:bookworm-pango)
#
# Why: the Dockerfile's base is a build argument (python:3.11-slim where images can be pulled). Where no
# image registry is reachable, debootstrap builds the same Debian bookworm userland (its Python is 3.11)
# from the Debian mirror this machine's apt already uses, and `docker import` turns it into an image.
# The image carries this host's CA bundle as its trust store, so pip (PIP_CERT) and requests
# (REQUESTS_CA_BUNDLE) inside containers trust what the host trusts (e.g. a TLS-inspecting proxy).
# Skips the work when the tag exists already. Needs root (debootstrap) and a running Docker engine.
set -euo pipefail

TAG="${1:-perhekeskus-base:bookworm-pango}"
SUITE="${DEBIAN_SUITE:-bookworm}"
HOST_CA="${HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"

if docker image inspect "$TAG" >/dev/null 2>&1; then
  echo "base image $TAG exists: not bootstrapping again (docker rmi $TAG to rebuild it)"
  exit 0
fi

# The Debian mirror apt uses here (deb822 "URIs:" or one-line "deb URL suite"), unless DEBIAN_MIRROR says.
debian_mirror() {
  if [ -n "${DEBIAN_MIRROR:-}" ]; then echo "$DEBIAN_MIRROR"; return; fi
  local files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  local url
  url=$(cat "${files[@]}" 2>/dev/null | awk '
    /^[[:space:]]*URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }
    /^[[:space:]]*deb[[:space:]]/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:.*\/debian\/?$/) { print $i; exit } }')
  echo "${url:-http://deb.debian.org/debian}"
}

command -v debootstrap >/dev/null 2>&1 || {
  echo "installing Debian's debootstrap"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
}

MIRROR=$(debian_mirror)
ROOTFS=$(mktemp -d "${TMPDIR:-/var/tmp}/perhekeskus-rootfs.XXXXXX")
trap 'rm -rf "$ROOTFS"' EXIT
echo "bootstrapping Debian $SUITE (minbase + python3) from $MIRROR into $ROOTFS"
started=$(date +%s)
debootstrap --variant=minbase --include=python3,python3-pip,python3-venv,ca-certificates,libpango-1.0-0,libpangoft2-1.0-0,fonts-dejavu-core,fontconfig \
  "$SUITE" "$ROOTFS" "$MIRROR" >"$ROOTFS.log" 2>&1 || {
  echo "debootstrap failed; last lines of $ROOTFS.log:" >&2
  tail -20 "$ROOTFS.log" >&2
  exit 1
}
rm -f "$ROOTFS.log"
ln -sf python3 "$ROOTFS/usr/bin/python"
ln -sf pip3 "$ROOTFS/usr/bin/pip"
if [ -s "$HOST_CA" ]; then
  cp "$HOST_CA" "$ROOTFS/etc/ssl/certs/ca-certificates.crt"
fi
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*

CA=/etc/ssl/certs/ca-certificates.crt
tar -C "$ROOTFS" -c . | docker import \
  --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV LANG=C.UTF-8" \
  --change "ENV PIP_BREAK_SYSTEM_PACKAGES=1 PIP_CERT=$CA REQUESTS_CA_BUNDLE=$CA SSL_CERT_FILE=$CA" \
  --change 'CMD ["python3"]' \
  - "$TAG" >/dev/null
echo "base image $TAG made in $(( $(date +%s) - started )) s ($(docker image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%.0f MB", $1/1e6}'))"
