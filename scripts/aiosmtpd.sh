#!/usr/bin/env bash
# Installs the real SMTP server the mail tests send to (Python's aiosmtpd) into
# target/aiosmtpd-venv, where tests/mail_support finds it. Called by .ci/run before
# `cargo test`; it fails when it cannot install (under CI the mail tests would fail anyway).
set -euo pipefail
cd "$(dirname "$0")/.."

AIOSMTPD_VERSION=1.4.6
VENV=$PWD/target/aiosmtpd-venv

if "$VENV/bin/python" -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" 2>/dev/null; then
    exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "aiosmtpd: the mail tests need python3, which is not installed" >&2
    exit 1
fi
echo "aiosmtpd: installing $AIOSMTPD_VERSION into $VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION"
