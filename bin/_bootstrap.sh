# Shared set-up for bin/run and bin/test: find Python 3.11+, create .venv, install.
# Sourced, not executed. Installs again only when pyproject.toml changes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'ERREUR / ERROR: %s\n' "$*" >&2; exit 1; }

find_python() {
    for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
        [ -n "$candidate" ] || continue
        if command -v "$candidate" >/dev/null 2>&1 &&
            "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

bootstrap_venv() {
    local extras="$1"
    local python
    python="$(find_python)" || die "Python 3.11 ou plus récent est requis (python3.11 introuvable). / Python 3.11+ is required."
    if [ ! -x .venv/bin/python ]; then
        say "Création de l'environnement virtuel .venv avec $python"
        "$python" -m venv .venv || die "impossible de créer .venv (paquet python3-venv manquant ?)"
    fi
    local stamp=".venv/.installed-$(cat pyproject.toml | "$python" -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest()[:16])')-${extras:-base}"
    if [ ! -f "$stamp" ]; then
        say "Installation des dépendances (pyproject.toml${extras:+, extra $extras})"
        .venv/bin/python -m pip install --quiet --upgrade pip
        .venv/bin/python -m pip install --quiet ".${extras:+[$extras]}" || die "l'installation des dépendances a échoué"
        rm -f .venv/.installed-*
        touch "$stamp"
    else
        say "Dépendances déjà installées (.venv à jour)"
    fi
    export PATH="$ROOT/.venv/bin:$PATH"
}
