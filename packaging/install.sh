#!/bin/sh
# Installs order-system from the release tarball as a systemd service, on any
# x86_64 Linux with systemd (for Debian and Ubuntu, the .deb does the same).
#
#   sudo ./install.sh                  # install or upgrade, enable and (re)start
#   sudo ./install.sh --no-start       # install, enable, but do not start now
#   sudo ./install.sh --uninstall      # remove the program and the unit; keep config and data
#   ./install.sh --root DIR            # install into DIR instead of / (packaging, tests)
#   ./install.sh --prefix /opt/order-system    # program in PREFIX/bin (default /usr/local)
#
# What it does, each step skipped when already done (running it again is safe):
#   - a system user and group order-system, no login shell, home /var/lib/order-system;
#   - PREFIX/bin/order-system (replaced on upgrade);
#   - /etc/order-system/config.toml, only if there is none (a newer example goes to
#     config.toml.new), readable by root and group order-system only;
#   - /var/lib/order-system, 0700, owned by order-system: the data;
#   - /etc/systemd/system/order-system.service, its ExecStart pointing at PREFIX/bin;
#   - systemctl daemon-reload, enable, and start (or restart when it was running).
set -eu

ROOT=""
PREFIX=/usr/local
ACTION=install
START=1
while [ $# -gt 0 ]; do
    case "$1" in
        --root) ROOT="${2:?--root needs a directory}"; shift ;;
        --root=*) ROOT="${1#--root=}" ;;
        --prefix) PREFIX="${2:?--prefix needs a directory}"; shift ;;
        --prefix=*) PREFIX="${1#--prefix=}" ;;
        --uninstall) ACTION=uninstall ;;
        --no-start) START=0 ;;
        -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
# DESTDIR, as in `make install`, is the same as --root.
[ -n "$ROOT" ] || ROOT="${DESTDIR:-}"
ROOT="${ROOT%/}"
case "$PREFIX" in /*) ;; *) echo "install.sh: --prefix must be absolute" >&2; exit 2 ;; esac

HERE="$(cd "$(dirname "$0")" && pwd)"
NAME=order-system
BIN="$PREFIX/bin/$NAME"
DOC="$PREFIX/share/doc/$NAME"
CONF_DIR=/etc/order-system
CONF="$CONF_DIR/config.toml"
DATA=/var/lib/order-system
UNIT=/etc/systemd/system/order-system.service

say() { echo "install.sh: $*"; }
die() { echo "install.sh: $*" >&2; exit 1; }

if [ -z "$ROOT" ] && [ "$(id -u)" -ne 0 ]; then
    die "run as root (sudo $0)"
fi
# systemd is only told about it on this very system while it runs.
systemd_live=0
if [ -z "$ROOT" ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    systemd_live=1
fi

# The user's numeric ids in ROOT's own passwd/group files (empty if absent), so that
# --root never uses the ids of the system running this script.
user_ids() {
    [ -f "$ROOT/etc/passwd" ] || return 0
    awk -F: -v u="$NAME" '$1 == u { print $3 ":" $4 }' "$ROOT/etc/passwd"
}

if [ "$ACTION" = uninstall ]; then
    if [ "$systemd_live" = 1 ]; then
        systemctl disable --now order-system.service 2>/dev/null || true
    elif [ -n "$ROOT" ] && command -v systemctl >/dev/null 2>&1; then
        systemctl --root="$ROOT/" disable order-system.service >/dev/null 2>&1 || true
    fi
    rm -f "$ROOT$UNIT" "$ROOT$BIN" "$ROOT$DOC/README.md"
    rmdir "$ROOT$DOC" 2>/dev/null || true
    [ "$systemd_live" = 1 ] && systemctl daemon-reload
    say "removed $BIN and $UNIT"
    say "kept $CONF, the data in $DATA and the user $NAME; remove them by hand if no longer needed:"
    say "  rm -r $CONF_DIR $DATA; userdel $NAME"
    exit 0
fi

for f in order-system order-system.service config.toml; do
    [ -f "$HERE/$f" ] || die "missing $HERE/$f: run install.sh from the unpacked tarball"
done

# 1. The system user and group.
if [ -n "$(user_ids)" ]; then
    :
elif [ -n "$ROOT" ] && [ ! -f "$ROOT/etc/passwd" ]; then
    say "no $ROOT/etc/passwd: not creating the user $NAME (files stay owned by root)"
else
    nologin=/usr/sbin/nologin
    [ -x "$ROOT$nologin" ] || nologin=/sbin/nologin
    [ -x "$ROOT$nologin" ] || nologin=/bin/false
    if command -v useradd >/dev/null 2>&1; then
        if [ -n "$ROOT" ]; then
            useradd --root "$ROOT" --system --user-group --home-dir "$DATA" --no-create-home --shell "$nologin" "$NAME"
        else
            useradd --system --user-group --home-dir "$DATA" --no-create-home --shell "$nologin" "$NAME"
        fi
    elif [ -z "$ROOT" ] && command -v adduser >/dev/null 2>&1; then
        # BusyBox
        addgroup -S "$NAME"
        adduser -S -D -H -h "$DATA" -s "$nologin" -G "$NAME" "$NAME"
    else
        die "neither useradd nor adduser found: create a system user $NAME by hand, then run this again"
    fi
    say "created the system user $NAME"
fi
ids="$(user_ids)"

# 2. The program (a new file moved into place, so a running server is not disturbed).
mkdir -p "$ROOT$PREFIX/bin" "$ROOT$DOC"
cp "$HERE/order-system" "$ROOT$BIN.new"
chmod 0755 "$ROOT$BIN.new"
mv -f "$ROOT$BIN.new" "$ROOT$BIN"
[ -f "$HERE/README.md" ] && cp "$HERE/README.md" "$ROOT$DOC/README.md" && chmod 0644 "$ROOT$DOC/README.md"
say "installed $BIN"

# 3. The config: never overwritten.
mkdir -p "$ROOT$CONF_DIR"
chmod 0755 "$ROOT$CONF_DIR"
install_config() { # DEST
    cp "$HERE/config.toml" "$1"
    chmod 0640 "$1"
    if [ -n "$ids" ]; then chown "0:${ids#*:}" "$1"; fi
}
if [ ! -e "$ROOT$CONF" ]; then
    install_config "$ROOT$CONF"
    say "installed $CONF: edit it, then restart the service"
elif ! cmp -s "$HERE/config.toml" "$ROOT$CONF"; then
    install_config "$ROOT$CONF.new"
    say "kept your $CONF; the example config of this version is $CONF.new"
fi

# 4. The data directory: only the directory itself, never what is in it.
mkdir -p "$ROOT$DATA"
chmod 0700 "$ROOT$DATA"
if [ -n "$ids" ]; then chown "$ids" "$ROOT$DATA"; fi

# 5. The unit, started from where the program is.
mkdir -p "$ROOT/etc/systemd/system"
sed -e "s#^ExecStart=/usr/bin/order-system #ExecStart=$BIN #" \
    -e "s#^Documentation=file:///usr/share/doc/order-system/#Documentation=file://$DOC/#" \
    "$HERE/order-system.service" >"$ROOT$UNIT.new"
grep -q "^ExecStart=$BIN " "$ROOT$UNIT.new" || die "could not set ExecStart in the unit"
chmod 0644 "$ROOT$UNIT.new"
mv -f "$ROOT$UNIT.new" "$ROOT$UNIT"
say "installed $UNIT"
[ -x "$ROOT/bin/kill" ] || say "warning: no /bin/kill (procps or util-linux): 'systemctl reload' needs it"

# 6. systemd.
if [ "$systemd_live" = 1 ]; then
    systemctl daemon-reload
    systemctl enable order-system.service >/dev/null 2>&1
    if [ "$START" = 1 ]; then
        if systemctl is-active --quiet order-system.service; then
            systemctl restart order-system.service
            say "restarted order-system"
        else
            systemctl start order-system.service
            say "started order-system"
        fi
        systemctl --no-pager --lines=0 status order-system.service || true
    else
        say "enabled order-system; start it with: systemctl start order-system"
    fi
elif command -v systemctl >/dev/null 2>&1; then
    # Not running systemd here (a chroot, an image being built): enable offline.
    systemctl --root="${ROOT:-/}" enable order-system.service >/dev/null 2>&1 \
        && say "enabled order-system (starts at the next boot)" \
        || say "could not enable order-system.service; do it once systemd runs: systemctl enable --now order-system"
else
    say "systemd not found: start it by hand, e.g. setpriv --reuid=$NAME --regid=$NAME --init-groups $BIN serve --config $CONF"
fi
