# Shell functions shared by scripts/setup.sh and scripts/setup-browser.sh (sourced, not run).

# Debian packages: installed when we are root (CI, containers); otherwise say what is missing.
apt_install() {
  local who missing=()
  who=$(basename "$0" .sh)
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "$who: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "$who: please install ${missing[*]} (for example: sudo apt-get install ${missing[*]})" >&2
  fi
}

# `npm ci [FLAGS]` in DIR, only when its package.json or package-lock.json changed since
# the last install (their hash is kept beside node_modules), so a second run is instant.
npm_ci_when_changed() {
  local dir=$1 hash stamp
  shift
  hash=$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1)
  stamp="$dir/node_modules/.gapkb-lock-sha256"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]; then
    echo "$(basename "$0" .sh): npm ci in $dir" >&2
    (cd "$dir" && npm ci "$@" --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$hash" >"$stamp"
  fi
}
