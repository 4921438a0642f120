# Shared by scripts/start and scripts/test: a virtualenv with the shop installed.
# (create_app compiles the translation catalogues when they are missing or stale.)
ensure_venv() {
  local extras="$1"
  local python
  python=$(command -v python3.11 || command -v python3)
  # A venv left by another Python (or whose Python was removed) cannot run the shop: build it again.
  local wanted have
  wanted=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
  have=$(.venv/bin/python -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)
  if [ -e .venv ] && [ "$have" != "$wanted" ]; then
    echo "The .venv was made by ${have:-a Python that no longer runs}, not $python ($wanted): rebuilding it." >&2
    rm -rf .venv
  fi
  if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
  fi
  # Reinstall only when pyproject.toml changed since the last install.
  local stamp=".venv/.installed${extras}"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -e ".${extras}"
    touch "$stamp"
  fi
}
