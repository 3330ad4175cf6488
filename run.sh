#!/usr/bin/env bash
# Runs the whole Baton suite on this machine: builds what is out of date, starts an embedded
# PostgreSQL (or uses BATON_DB_URL), then the four services. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")"

modules=(registry lock-service scheduler-service gateway baton-local)
stale=false
for module in "${modules[@]}"; do
  jar=$(ls "$module"/target/*-exec.jar 2>/dev/null | head -n 1 || true)
  if [ -z "$jar" ] || [ -n "$(find . -path ./.baton -prune -o \( -name pom.xml -o -path '*/src/main/*' \) -newer "$jar" -print -quit)" ]; then
    stale=true
    break
  fi
done
if $stale; then
  echo "Building Baton (the first build downloads dependencies and takes a few minutes)..."
  ./mvnw -B -ntp -DskipTests package -pl "$(IFS=,; echo "${modules[*]}")" -am \
    | grep --line-buffered -E '^\[INFO\] Building |BUILD|ERROR' || { echo "Build failed; run ./mvnw -DskipTests package to see why." >&2; exit 1; }
fi

exec java ${BATON_LOCAL_JAVA_OPTS:-} -jar "$(ls baton-local/target/*-exec.jar | head -n 1)" "$PWD"
