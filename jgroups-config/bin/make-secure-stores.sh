#!/usr/bin/env bash
# Creates the key and trust stores the "secure" JGroups stack reads (buddygrid-secure.xml):
#
#   <dir>/ca.p12           the cluster's certificate authority (private key: keep it offline)
#   <dir>/ca.crt           the CA certificate
#   <dir>/truststore.p12   the CA certificate only: buddygrid.tls.truststore on every node
#   <dir>/<node>.p12       one key pair per node, signed by the CA: buddygrid.tls.keystore
#   <dir>/encrypt.p12      one 256-bit AES key shared by the cluster: buddygrid.encrypt.keystore
#
# Every store is PKCS12 and protected by the password in $BUDDYGRID_STORE_PASSWORD; without it,
# a random one is made and written to <dir>/store-password (mode 600).
#
# Usage: make-secure-stores.sh <dir> <node> [<node>...]
#        (env: KEYTOOL=path to keytool, default: keytool on PATH or in $JAVA_HOME/bin;
#              VALIDITY_DAYS=certificate validity, default 825)
#
# Run it once per cluster; to add a node later, run it again with the same <dir>: the existing CA,
# trust store and AES key are kept and only the missing node stores are made.
set -euo pipefail

if [ "$#" -lt 2 ]; then
  echo "usage: $0 <dir> <node> [<node>...]   (creates the CA, trust store, node key stores and AES key store in <dir>)" >&2
  exit 2
fi
dir=$1
shift

if [ -n "${KEYTOOL:-}" ]; then
  keytool=$KEYTOOL
elif command -v keytool >/dev/null 2>&1; then
  keytool=keytool
elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/keytool" ]; then
  keytool=$JAVA_HOME/bin/keytool
else
  echo "$0: keytool not found: put a JDK's bin directory on PATH, or set JAVA_HOME or KEYTOOL" >&2
  exit 1
fi
validity=${VALIDITY_DAYS:-825}

for node in "$@"; do
  case "$node" in
    ca | truststore | encrypt | *[!A-Za-z0-9._-]*)
      echo "$0: node name \"$node\" is reserved or has characters other than A-Z a-z 0-9 . _ -" >&2
      exit 2 ;;
  esac
done

mkdir -p "$dir"
umask 077
if [ -z "${BUDDYGRID_STORE_PASSWORD:-}" ]; then
  if [ ! -s "$dir/store-password" ]; then
    head -c 24 /dev/urandom | base64 | tr -d '/+=\n' > "$dir/store-password"
    echo "store password written to $dir/store-password"
  fi
  BUDDYGRID_STORE_PASSWORD=$(cat "$dir/store-password")
fi
export BUDDYGRID_STORE_PASSWORD
pass=(-storepass:env BUDDYGRID_STORE_PASSWORD -storetype PKCS12)

if [ ! -f "$dir/ca.p12" ]; then
  "$keytool" -genkeypair -noprompt "${pass[@]}" -keystore "$dir/ca.p12" -alias ca \
    -keyalg EC -groupname secp384r1 -validity "$validity" \
    -dname "CN=BuddyGrid cluster CA" -ext bc:c -ext KeyUsage=keyCertSign,cRLSign
  "$keytool" -exportcert -rfc "${pass[@]}" -keystore "$dir/ca.p12" -alias ca -file "$dir/ca.crt"
  rm -f "$dir/truststore.p12"
fi
if [ ! -f "$dir/truststore.p12" ]; then
  "$keytool" -importcert -noprompt "${pass[@]}" -keystore "$dir/truststore.p12" -alias ca \
    -file "$dir/ca.crt"
fi
if [ ! -f "$dir/encrypt.p12" ]; then
  "$keytool" -genseckey "${pass[@]}" -keystore "$dir/encrypt.p12" -alias buddygrid \
    -keyalg AES -keysize 256
fi

for node in "$@"; do
  store="$dir/$node.p12"
  [ -f "$store" ] && continue
  "$keytool" -genkeypair -noprompt "${pass[@]}" -keystore "$store" -alias "$node" \
    -keyalg EC -groupname secp384r1 -validity "$validity" -dname "CN=$node, O=BuddyGrid"
  "$keytool" -certreq "${pass[@]}" -keystore "$store" -alias "$node" -file "$dir/$node.csr"
  "$keytool" -gencert -rfc "${pass[@]}" -keystore "$dir/ca.p12" -alias ca -validity "$validity" \
    -ext KeyUsage=digitalSignature -ext ExtendedKeyUsage=serverAuth,clientAuth \
    -infile "$dir/$node.csr" -outfile "$dir/$node.crt"
  "$keytool" -importcert -noprompt "${pass[@]}" -keystore "$store" -alias ca -file "$dir/ca.crt"
  "$keytool" -importcert -noprompt "${pass[@]}" -keystore "$store" -alias "$node" -file "$dir/$node.crt"
  rm -f "$dir/$node.csr" "$dir/$node.crt"
done
echo "stores in $dir: truststore.p12, encrypt.p12, $(printf '%s.p12 ' "$@")(CA key: ca.p12, keep it off the nodes)"
