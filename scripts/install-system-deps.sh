#!/usr/bin/env bash
# Debian packages the tests and benchmarks use: real Prometheus (promtool too), blackbox_exporter
# for side-by-side checks, mtr/ping for the path probers, iproute2 for network-namespace test hosts
# (nftables to inject loss inside them), nginx, wrk and tcpdump for benchmarks, chromium for the web page test,
# python3 for the burst tests' listeners that never accept (Node always accepts), redis-server for the
# hub replicas sharing one store, systemd for systemd-analyze verify of the service units.
set -euo pipefail
PKGS=(prometheus prometheus-blackbox-exporter mtr-tiny iputils-ping iproute2 nftables nginx chromium wrk tcpdump python3 openssl ca-certificates procps redis-server systemd)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages (run as root to install): ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Debian starts these as services on install; Pulse's tests start their own copies on port 0.
for svc in prometheus prometheus-node-exporter prometheus-blackbox-exporter nginx redis-server; do
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet "$svc" 2>/dev/null; then systemctl stop "$svc" || true; fi
done
