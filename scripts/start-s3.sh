#!/usr/bin/env bash
# A real S3 server for the tests: a throwaway single-node Ceph cluster (monitor, one OSD
# keeping its data in memory, manager) with the RADOS Gateway on 127.0.0.1:7480. Run as root,
# without systemd. Idempotent: installs the Debian packages only when missing, starts the
# daemons only when nothing answers on the port yet, creates the test user only once. Prints
# the TEST_S3_* exports last, so `eval "$(scripts/start-s3.sh | tail -4)"` sets them.
# Data lives in memory (CEPH_MEMSTORE_BYTES, 2 GiB by default) and is gone when the OSD stops.
set -euo pipefail

DIR=${CEPH_DIR:-/tmp/ignition-s3}
PORT=${S3_PORT:-7480}
ENDPOINT="http://127.0.0.1:$PORT"
ACCESS_KEY=${S3_ACCESS_KEY:-ignition}
SECRET_KEY=${S3_SECRET_KEY:-ignition-secret}
PACKAGES=(radosgw ceph-mon ceph-osd ceph-mgr)

log() { echo "start-s3: $*" >&2; }
answering() { curl -s -o /dev/null -m 2 "$ENDPOINT"; }

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

export CEPH_CONF=$DIR/ceph.conf

if answering; then
  log "already answering on $ENDPOINT"
else
  # Daemons left over from an earlier start in this directory that never answered.
  for pidfile in "$DIR"/run/*.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  rm -rf "$DIR"
  mkdir -p "$DIR"/{log,run,mon,osd,mgr,rgw}
  cat >"$CEPH_CONF" <<CONF
[global]
fsid = $(cat /proc/sys/kernel/random/uuid)
mon host = 127.0.0.1
run dir = $DIR/run
auth cluster required = none
auth service required = none
auth client required = none
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
ms bind ipv6 = false
log file = $DIR/log/\$name.log
admin socket = $DIR/run/\$name.asok
pid file = $DIR/run/\$name.pid
[mon.a]
mon data = $DIR/mon
mon data avail crit = 0
mon allow pool delete = true
[osd.0]
osd data = $DIR/osd
osd objectstore = memstore
memstore device bytes = ${CEPH_MEMSTORE_BYTES:-2147483648}
osd class load list = *
osd class default list = *
[mgr.x]
mgr data = $DIR/mgr
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw data = $DIR/rgw
ms mon client mode = crc
CONF
  log "starting Ceph in $DIR"
  ceph-mon --id a --mkfs --keyring /dev/null
  touch "$DIR/mon/keyring"
  ceph-mon --id a
  osd_id=$(ceph osd create)
  ceph osd crush add "osd.$osd_id" 1 root=default >&2
  ceph-osd --id "$osd_id" --mkfs 2>/dev/null
  ceph-osd --id "$osd_id"
  ceph-mgr --id x
  ceph auth get-or-create client.rgw.a osd 'allow rwx' mon 'allow rw' -o "$DIR/rgw/keyring"
  radosgw -n client.rgw.a -k "$DIR/rgw/keyring"
  for _ in $(seq 1 90); do answering && break; sleep 1; done
  answering || { log "the RADOS Gateway did not answer on $ENDPOINT; see $DIR/log"; exit 1; }
fi

if ! radosgw-admin user info --uid ignition >/dev/null 2>&1; then
  radosgw-admin user create --uid ignition --display-name ignition \
    --access-key "$ACCESS_KEY" --secret-key "$SECRET_KEY" >/dev/null
fi

# The gateway answers before its pools exist; an authenticated request waits for them.
ready=0
for _ in $(seq 1 60); do
  curl -s -m 5 -o /dev/null -w '%{http_code}' -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "$ACCESS_KEY:$SECRET_KEY" "$ENDPOINT/" | grep -q 200 && ready=1 && break
  sleep 1
done
[ "$ready" = 1 ] || { log "the RADOS Gateway refuses the test user's requests; see $DIR/log"; exit 1; }

echo "export TEST_S3_ENDPOINT=$ENDPOINT"
echo "export TEST_S3_REGION=us-east-1"
echo "export TEST_S3_ACCESS_KEY_ID=$ACCESS_KEY"
echo "export TEST_S3_SECRET_ACCESS_KEY=$SECRET_KEY"
