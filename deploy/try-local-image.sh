#!/bin/sh
# Build and run deploy/Dockerfile and deploy/compose.yaml without Docker Hub: a Debian bookworm
# base made with debootstrap (needs root, debootstrap, a Debian mirror and PyPI), Redis from
# Debian's redis-server, then the checks docs/deployment.md reports. By hand only: never run by tests or CI.
#   sudo sh deploy/try-local-image.sh            # from the repository root
# Env: MIRROR (http://deb.debian.org/debian), PORT (19480, the lone container's port),
#      CA_BUNDLE (copied into the base: a host behind a TLS proxy needs its CA there for pip).
# Leaves the images raqib-rootfs:bookworm, raqib-base:bookworm, raqib-redis:bookworm, raqib:local;
# existing ones are reused (remove them to start over).
set -eu
MIRROR=${MIRROR:-http://deb.debian.org/debian}
PORT=${PORT:-19480}
CA_BUNDLE=${CA_BUNDLE:-${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}}
WORK=$(mktemp -d)
trap 'docker rm -f raqib-try >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
have() { docker image inspect "$1" >/dev/null 2>&1; }
ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )) ms; }
wait_ok() {  # URL, start time → time until it answers 200 (gives up after 120 s), the answer
    t0=${2:-$(date +%s%N)}
    for _ in $(seq 240); do curl -fs "$1" >"$WORK/healthz" 2>/dev/null && break || sleep 0.5; done
    curl -fs "$1" >"$WORK/healthz" && echo "200 after $(ms "$t0"): $(cat "$WORK/healthz")"
}

# 1. Base: bookworm's python3 (3.11) in a venv first on PATH, as python:3.11-slim has pip on PATH.
if ! have raqib-rootfs:bookworm; then
    debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
        bookworm "$WORK/rootfs" "$MIRROR"
    tar -C "$WORK/rootfs" -c . | docker import - raqib-rootfs:bookworm
    rm -rf "$WORK/rootfs"
fi
if ! have raqib-base:bookworm; then
    mkdir "$WORK/base" && cp "$CA_BUNDLE" "$WORK/base/ca.crt"
    cat >"$WORK/base/Dockerfile" <<'EOF'
FROM raqib-rootfs:bookworm
COPY ca.crt /etc/ssl/certs/ca-certificates.crt
RUN python3 -m venv /usr/local/py
ENV PATH=/usr/local/py/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    PIP_CERT=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
CMD ["python3"]
EOF
    docker build --network host -t raqib-base:bookworm "$WORK/base"
fi
# Redis for Compose; like the official image it lets other containers in (no protected mode).
if ! have raqib-redis:bookworm; then
    mkdir "$WORK/redis"
    printf '%s\n' '#!/bin/sh' \
        'if [ "$1" = "redis-server" ]; then shift; exec redis-server "$@" --protected-mode no; fi' \
        'exec "$@"' >"$WORK/redis/entry.sh"
    chmod 755 "$WORK/redis/entry.sh"
    cat >"$WORK/redis/Dockerfile" <<'EOF'
FROM raqib-rootfs:bookworm
RUN apt-get update && apt-get install -y --no-install-recommends redis-server redis-tools \
    && rm -rf /var/lib/apt/lists/*
COPY entry.sh /usr/local/bin/entry.sh
WORKDIR /data
EXPOSE 6379
ENTRYPOINT ["/usr/local/bin/entry.sh"]
CMD ["redis-server"]
EOF
    docker build --network host -t raqib-redis:bookworm "$WORK/redis"
fi

# 2. The image, as users build it, on that base.
docker build --network host -f deploy/Dockerfile --build-arg BASE=raqib-base:bookworm -t raqib:local .
docker image ls raqib:local --format 'raqib:local {{.Size}}'

# 3. Alone, embedded Redis: /healthz, health check (start period 60 s), graceful stop.
# RAQIB_SOURCES_FILE= (here and in Compose) turns the source catalogue off: no news site is fetched.
started=$(date +%s); t0=$(date +%s%N)
docker run -d --name raqib-try --network host -e RAQIB_HTTP__PORT="$PORT" -e RAQIB_SOURCES_FILE= raqib:local
wait_ok "http://127.0.0.1:$PORT/healthz" "$t0"
until [ "$(docker inspect --format '{{.State.Health.Status}}' raqib-try)" != starting ]; do sleep 1; done
echo "health: $(docker inspect --format '{{.State.Health.Status}}' raqib-try) after $(($(date +%s) - started)) s"
t0=$(date +%s%N); docker stop -t 60 raqib-try >/dev/null
echo "stop: $(ms "$t0"), exit code $(docker inspect --format '{{.State.ExitCode}}' raqib-try)"
docker logs raqib-try 2>&1 | tail -n 3
echo "log lines with ERROR or Traceback: $(docker logs raqib-try 2>&1 | grep -c -E 'ERROR|Traceback' || true)"
docker rm raqib-try >/dev/null

# 4. Compose with its Redis, three crawlers and two alert workers: an override names the local
#    images (the file itself is unchanged); the configuration comes from a directory standing
#    in for /etc/raqib.
printf 'services:\n  redis:\n    image: raqib-redis:bookworm\n  crawl:\n    image: raqib:local\n    environment:\n      RAQIB_SOURCES_FILE: ""\n  alerts:\n    image: raqib:local\n' >"$WORK/local.yaml"
mkdir -p "$WORK/etc" && cp config/raqib.yaml "$WORK/etc/" && cp deploy/raqib.env.example "$WORK/etc/raqib.env"
export RAQIB_ETC="$WORK/etc"
compose="docker-compose -p raqib-try -f deploy/compose.yaml -f $WORK/local.yaml"
docker compose version >/dev/null 2>&1 && compose="docker compose -p raqib-try -f deploy/compose.yaml -f $WORK/local.yaml"
t0=$(date +%s%N); $compose up -d --no-build --scale crawl=3 --scale alerts=2   # once Redis is healthy
for role_index in crawl:1 crawl:2 crawl:3 alerts:1 alerts:2; do
    address=$($compose port --index "${role_index#*:}" "${role_index%:*}" 9480)
    wait_ok "http://$address/healthz" "$t0"
done
$compose exec -T alerts raqib reload --expect 5    # every daemon answers what it reloaded
t0=$(date +%s%N); $compose stop -t 60 crawl alerts
echo "compose stop: $(ms "$t0"), exit codes $(for c in $($compose ps -q crawl alerts); do docker inspect --format '{{.State.ExitCode}}' "$c"; done | tr '\n' ' ')"
$compose logs --no-color crawl alerts | tail -n 5
echo "log lines with error or Traceback: $($compose logs --no-color crawl alerts | grep -c -E '"level": "error"|ERROR|Traceback' || true)"
$compose down -v
