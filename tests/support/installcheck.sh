#!/usr/bin/env bash
# installcheck.sh BUILD_DIR: `cmake --install` into an empty root, then what a distribution checks:
# desktop-file-validate, appstreamcli validate --no-net, the hicolor icons (the PNG sizes rendered
# from the one SVG), the man page read by man without warnings, the completions parsed by bash/zsh.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: installcheck.sh BUILD_DIR" >&2; exit 2; }
build=$1
root=$(mktemp -d /tmp/migrationdesk-install.XXXXXX)
trap 'rm -rf "$root"' EXIT
fail() { echo "installcheck: FAIL: $*" >&2; exit 1; }
need() { command -v "$1" >/dev/null || fail "$1 is not installed (packaging/setup-debian.sh installs it)"; }

DESTDIR=$root cmake --install "$build" --prefix /usr >"$root.log" 2>&1 || { cat "$root.log" >&2; fail "cmake --install"; }
rm -f "$root.log"
share=$root/usr/share
id=io.github.migrationdesk.migrationdesk

[ -x "$root/usr/bin/migrationdesk" ] || fail "no usr/bin/migrationdesk"
need desktop-file-validate
desktop-file-validate "$share/applications/$id.desktop" || fail "desktop-file-validate"
grep -qx 'Categories=Development;Database;' "$share/applications/$id.desktop" || fail "Categories"
need appstreamcli
appstreamcli validate --no-net --pedantic "$share/metainfo/$id.metainfo.xml" || fail "appstreamcli validate"
grep -q '<screenshot' "$share/metainfo/$id.metainfo.xml" || fail "no screenshot in the metainfo"
grep -q '<release version=' "$share/metainfo/$id.metainfo.xml" || fail "no release in the metainfo"

[ -f "$share/icons/hicolor/scalable/apps/migrationdesk.svg" ] || fail "no scalable icon"
for size in 16 22 24 32 48 64 128 256; do
    png=$share/icons/hicolor/${size}x${size}/apps/migrationdesk.png
    [ -f "$png" ] || fail "no ${size}x${size} icon"
    # PNG signature, then IHDR: width and height as 4-byte big-endian numbers at offsets 16 and 20.
    [ "$(od -An -tx1 -N8 "$png" | tr -d ' ')" = 89504e470d0a1a0a ] || fail "$png is not a PNG"
    w=$(od -An -tu1 -j16 -N4 "$png" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
    h=$(od -An -tu1 -j20 -N4 "$png" | awk '{print $1*16777216+$2*65536+$3*256+$4}')
    [ "$w" = "$size" ] && [ "$h" = "$size" ] || fail "$png is ${w}x${h}, not ${size}x${size}"
done

need man
man_page=$share/man/man1/migrationdesk.1.gz
[ -f "$man_page" ] || fail "no man page"
warnings=$(MANWIDTH=100 man --warnings -E UTF-8 -l "$man_page" 2>&1 >/dev/null) || fail "man failed"
[ -z "$warnings" ] || fail "man page warnings: $warnings"
MANWIDTH=100 man -E UTF-8 -l "$man_page" 2>/dev/null | grep -q 'migrationdesk run \[options\] \[OPERATION\]' ||
    fail "man page lacks the run command"

bash -n "$share/bash-completion/completions/migrationdesk" || fail "bash completion does not parse"
grep -q '^complete -F _migrationdesk migrationdesk$' "$share/bash-completion/completions/migrationdesk" ||
    fail "bash completion does not register"
need zsh
zsh -n "$share/zsh/vendor-completions/_migrationdesk" || fail "zsh completion does not parse"
[ -f "$share/doc/migrationdesk/json-schema.md" ] || fail "no json-schema.md in the docs"
echo "installcheck: $(find "$root" -type f | wc -l) files installed, all checks passed"
