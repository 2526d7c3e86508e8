#!/usr/bin/env bash
# Installs what MigrationDesk needs to build, test and run on Debian 12 (as root or via sudo).
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache git
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev libqt6sql6-psql libgl1-mesa-dev   # qt6-svg-dev: the graph's SVG export (QSvgGenerator)
  libyaml-cpp-dev libssl-dev   # libssl-dev: OpenSSL's exit handling for libpq (core/db/pgclientlibrary.h)
  postgresql-15 postgresql-client-15
  python3 python3-django python3-psycopg2 python3-yaml
  xvfb xauth
  librsvg2-bin desktop-file-utils appstream man-db zsh dpkg-dev fakeroot   # icons, validation of the desktop files, man page, completions, the .deb
  docker.io iptables docker-compose debootstrap   # the tests' real Docker engine (v1 compose: docker-compose)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
echo "setup: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
