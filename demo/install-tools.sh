#!/usr/bin/env bash
# Installs what the demo and its tests need, when it is missing and installing is possible
# (root and apt-get). Usage: demo/install-tools.sh [apache2] [chromium]
#   apache2   Apache httpd with mod_proxy_balancer (the demo's load balancer)
#   chromium  Debian's chromium and chromium-driver (the browser test)
# Exit status 0 when everything asked for is there afterwards; otherwise 1 and a message that says
# exactly what to install.
set -uo pipefail

want=("$@")
[ ${#want[@]} -eq 0 ] && want=(apache2)

missing=()
for tool in "${want[@]}"; do
  case "$tool" in
    apache2)
      if ! command -v apache2 >/dev/null 2>&1 && ! [ -x /usr/sbin/apache2 ] && ! [ -x /usr/sbin/httpd ]; then
        missing+=(apache2)
      fi ;;
    chromium)
      [ -x /usr/bin/chromium ] || missing+=(chromium)
      [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver) ;;
    *) echo "install-tools: unknown tool $tool (apache2, chromium)" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "install-tools: installing ${missing[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Installing apache2 must not start the system's own httpd on port 80 (containers have no init).
  policy_added=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy_added=1
  fi
  apt-get update -qq >&2 && apt-get install -y -qq "${missing[@]}" >&2
  status=$?
  [ -n "$policy_added" ] && rm -f /usr/sbin/policy-rc.d
  [ $status -eq 0 ] && exit 0
  echo "install-tools: apt-get install ${missing[*]} failed" >&2
  exit 1
fi

echo "install-tools: missing ${missing[*]}. Install as root: apt-get install -y ${missing[*]}" \
  "(Fedora/RHEL: dnf install -y httpd chromium chromedriver)" >&2
exit 1
