# Shared by scripts/start and scripts/test: a virtualenv with the shop installed, translations compiled.
ensure_venv() {
  local extras="$1"
  local python
  python=$(command -v python3.11 || command -v python3)
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
  .venv/bin/pybabel compile -d shop/translations >/dev/null 2>&1 || .venv/bin/pybabel compile -d shop/translations
}
