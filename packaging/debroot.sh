# shellcheck shell=bash
# Sourced by the package tests: a throwaway Debian bookworm root for each test, on top
# of a cached minimal one (debootstrap --variant=minbase, plus systemd so it can also be
# booted with systemd-nspawn, and curl), made once under /var/tmp/order-system-debroot.
#
#   debroot_cache                      # makes the cache if missing; prints its path
#   debroot_new DIR                    # DIR/root: a fresh writable copy (overlayfs, else cp)
#   debroot_mount_api DIR / debroot_umount_api DIR   # /proc and /dev for chroot
#   debroot_remove DIR                 # unmounts everything below DIR and deletes it
#
# Needs root, debootstrap and network access to deb.debian.org on the first run.

DEBROOT_CACHE_DIR="${ORDER_SYSTEM_DEBROOT:-/var/tmp/order-system-debroot}"
DEBROOT_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEBROOT_SUITE=bookworm
# Changing the package list changes the cache's name, so a stale cache is never used.
DEBROOT_INCLUDE=adduser,procps,systemd,systemd-sysv,dbus,curl
DEBROOT_NAME="$DEBROOT_SUITE-minbase-v2"

debroot_cache() {
  local cache="$DEBROOT_CACHE_DIR/$DEBROOT_NAME"
  if [ ! -f "$cache/.complete" ]; then
    command -v debootstrap >/dev/null || { echo "debroot: debootstrap is not installed" >&2; return 1; }
    mkdir -p "$DEBROOT_CACHE_DIR"
    local tmp="$cache.tmp.$$"
    rm -rf --one-file-system "$tmp"
    echo "debroot: debootstrap $DEBROOT_SUITE into $cache (once)" >&2
    if ! debootstrap --variant=minbase --include="$DEBROOT_INCLUDE" "$DEBROOT_SUITE" "$tmp" "$DEBROOT_MIRROR" \
        >"$DEBROOT_CACHE_DIR/debootstrap.log" 2>&1; then
      tail -20 "$DEBROOT_CACHE_DIR/debootstrap.log" >&2
      rm -rf --one-file-system "$tmp"
      return 1
    fi
    # Keep the cache small.
    chroot "$tmp" apt-get clean
    echo "$DEBROOT_NAME" >"$tmp/etc/hostname"
    touch "$tmp/.complete"
    rm -rf --one-file-system "$cache"
    mv "$tmp" "$cache"
  fi
  echo "$cache"
}

debroot_new() {
  local dir="$1" cache
  cache="$(debroot_cache)" || return 1
  mkdir -p "$dir/root" "$dir/upper" "$dir/work"
  if ! mount -t overlay overlay -o "lowerdir=$cache,upperdir=$dir/upper,workdir=$dir/work" "$dir/root" 2>/dev/null; then
    cp -a "$cache/." "$dir/root/"
  fi
}

debroot_mount_api() {
  local root="$1/root"
  mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
  mountpoint -q "$root/dev" || mount --bind /dev "$root/dev"
}

debroot_umount_api() {
  local root="$1/root" m
  for m in "$root/dev" "$root/proc"; do
    if mountpoint -q "$m"; then umount "$m" || umount -l "$m"; fi
  done
}

debroot_remove() {
  local dir="$1" m
  [ -n "$dir" ] && [ -d "$dir" ] || return 0
  # Deepest mounts first; never delete through a mount.
  for m in $(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/self/mounts | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
  if awk -v d="$dir/" 'index($2, d) == 1 { found = 1 } END { exit !found }' /proc/self/mounts; then
    echo "debroot: mounts remain below $dir; not deleting it" >&2
    return 1
  fi
  rm -rf --one-file-system "$dir"
}
