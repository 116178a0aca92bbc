#!/usr/bin/env bash
# Deploys Retouch (the worker serving the page) to a Cloudflare account, in one command:
#
#   bash scripts/deploy.sh [--env production|staging] [--dry-run] [--config FILE]
#
#  1. builds the engine (wasm), the page and the worker;
#  2. checks the environment's configuration (scripts/deploy/check-config.py): DEV_LOGIN off, a
#     public https origin, explicit CORS origins, every binding, the R2 policy files;
#  3. checks the account: signed in, secrets set (JWT_SECRET or JWKS, UPLOAD_SECRET, LOG_SALT;
#     values exported in this shell are put first, after the same checks);
#  4. creates or reuses the D1 database and applies the migrations;
#  5. creates or reuses the R2 bucket, sets its 30-day lifecycle rule (worker/r2/lifecycle.json)
#     and the CORS policy browser uploads need (worker/r2/cors.<env>.json);
#  6. runs `wrangler deploy` (with BUILD_ID = the commit, reported by GET /v1/health), then
#     calls /v1/health on the public origin.
#
# It stops with a message at the first missing piece. --dry-run runs 1, 2 and
# `wrangler deploy --dry-run --outdir` (nothing leaves the machine) and prints the account
# steps instead of running them. Sign in first with `wrangler login` or CLOUDFLARE_API_TOKEN.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"

ENV_NAME=production
DRY_RUN=0
CONFIG="$ROOT/worker/wrangler.toml"
OUTDIR="${DEPLOY_OUTDIR:-$ROOT/.cache/deploy}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --env) ENV_NAME="${2:?--env needs a name}"; shift 2 ;;
    --env=*) ENV_NAME="${1#--env=}"; shift ;;
    --dry-run) DRY_RUN=1; shift ;;
    --config) CONFIG="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    --outdir) OUTDIR="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "deploy: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "deploy: $*" >&2; exit 1; }
wrangler() { (cd "$(dirname "$CONFIG")" && node "$ROOT/node_modules/wrangler/bin/wrangler.js" "$@" --config "$CONFIG"); }
# An account step: run it, or in a dry run say what would run.
account() {
  if [[ $DRY_RUN == 1 ]]; then
    echo "deploy: would run: wrangler $* --config ${CONFIG#"$ROOT/"}"
    return 0
  fi
  wrangler "$@"
}

step "checking the configuration of [env.$ENV_NAME]"
check_args=(--env "$ENV_NAME" --config "$CONFIG")
[[ $DRY_RUN == 1 ]] && check_args+=(--dry-run)
settings="$(python3 "$ROOT/scripts/deploy/check-config.py" "${check_args[@]}")" || exit 1
# Assignments of checked plain values: WORKER_NAME BUCKET DB_NAME DB_ID DATASET PUBLIC_URL CORS_FILE LIFECYCLE_FILE
eval "$settings"
echo "deploy: $WORKER_NAME → $PUBLIC_URL (D1 $DB_NAME, R2 $BUCKET, metrics $DATASET)"

step "building"
if [[ "${DEPLOY_SKIP_BUILD:-0}" == 1 ]]; then
  echo "deploy: DEPLOY_SKIP_BUILD=1: using the builds in engine/wasm/pkg, web/dist and worker/build"
else
  bash scripts/build-wasm.sh
  bash scripts/build-web.sh
  bash scripts/build-worker.sh
fi
[[ -f web/dist/index.html && -f worker/build/worker/shim.mjs ]] || die "the build left no web/dist/index.html or worker/build/worker/shim.mjs"

step "account: sign-in and secrets"
if [[ $DRY_RUN == 1 ]]; then
  account whoami
  account secret list --env "$ENV_NAME" --format json
  echo "deploy: would check that JWT_SECRET (or JWKS), UPLOAD_SECRET and LOG_SALT are set for $WORKER_NAME"
else
  wrangler whoami >/dev/null 2>&1 || die "not signed in to Cloudflare: run 'wrangler login' or set CLOUDFLARE_API_TOKEN"
  for name in JWT_SECRET UPLOAD_SECRET LOG_SALT JWT_SECRET_PREVIOUS UPLOAD_SECRET_PREVIOUS; do
    if [[ -n "${!name:-}" ]]; then
      echo "deploy: putting $name from this shell (checked above)"
      printf '%s' "${!name}" | wrangler secret put "$name" --env "$ENV_NAME" >/dev/null
    fi
  done
  # A first deploy has no worker yet, so no secrets: then every one is missing.
  secrets="$(wrangler secret list --env "$ENV_NAME" --format json 2>/dev/null || echo '[]')"
  has() { python3 -c 'import json,sys; sys.exit(0 if any(s.get("name") == sys.argv[1] for s in json.loads(sys.stdin.read() or "[]")) else 1)' "$1" <<<"$secrets"; }
  if ! has JWT_SECRET && ! has JWKS; then
    die "neither JWT_SECRET nor JWKS is set for $WORKER_NAME: run 'wrangler secret put JWT_SECRET --env $ENV_NAME' (openssl rand -base64 48), or put your identity provider's JWKS"
  fi
  for name in UPLOAD_SECRET LOG_SALT; do
    has "$name" || die "$name is not set for $WORKER_NAME: run 'openssl rand -base64 48 | wrangler secret put $name --env $ENV_NAME' (or export $name and run this again)"
  done
fi

step "D1: database $DB_NAME and migrations"
if [[ $DRY_RUN == 1 ]]; then
  account d1 list --json
  echo "deploy: would create D1 database $DB_NAME if it does not exist"
  account d1 migrations apply DB --env "$ENV_NAME" --remote
else
  db_id() { wrangler d1 list --json | python3 -c 'import json,sys; print(next((d["uuid"] for d in json.load(sys.stdin) if d.get("name") == sys.argv[1]), ""))' "$DB_NAME"; }
  id="$(db_id)"
  if [[ -z "$id" ]]; then
    echo "deploy: creating D1 database $DB_NAME"
    wrangler d1 create "$DB_NAME" >/dev/null
    id="$(db_id)"
  fi
  [[ -n "$id" ]] || die "D1 database $DB_NAME could not be created or found"
  if [[ "$id" != "$DB_ID" ]]; then
    die "D1 database $DB_NAME is $id: put database_id = \"$id\" in [[env.$ENV_NAME.d1_databases]] of ${CONFIG#"$ROOT/"}, commit it, and run this again"
  fi
  wrangler d1 migrations apply DB --env "$ENV_NAME" --remote
fi

step "R2: bucket $BUCKET, 30-day lifecycle, CORS for browser uploads"
if [[ $DRY_RUN == 1 ]]; then
  account r2 bucket info "$BUCKET"
  echo "deploy: would create R2 bucket $BUCKET if it does not exist"
else
  wrangler r2 bucket info "$BUCKET" >/dev/null 2>&1 || { echo "deploy: creating R2 bucket $BUCKET"; wrangler r2 bucket create "$BUCKET"; }
fi
account r2 bucket lifecycle set "$BUCKET" --file "$ROOT/$LIFECYCLE_FILE" --force
account r2 bucket cors set "$BUCKET" --file "$ROOT/$CORS_FILE" --force

build_id="$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null || build_id="$build_id-dirty"
if [[ $DRY_RUN == 1 ]]; then
  step "wrangler deploy --dry-run (bundle into $OUTDIR; nothing is uploaded)"
  rm -rf "$OUTDIR"
  wrangler deploy --env "$ENV_NAME" --dry-run --outdir "$OUTDIR" --var "BUILD_ID:$build_id"
  echo "deploy: dry run of $WORKER_NAME ($build_id) passed; bundle in $OUTDIR"
  exit 0
fi

step "wrangler deploy ($WORKER_NAME, build $build_id)"
wrangler deploy --env "$ENV_NAME" --var "BUILD_ID:$build_id"

step "health"
if curl -fsS --max-time 10 "$PUBLIC_URL/v1/health"; then
  echo
  echo "deploy: $WORKER_NAME ($build_id) is live at $PUBLIC_URL"
else
  die "deployed, but $PUBLIC_URL/v1/health does not answer 200: check 'wrangler tail --env $ENV_NAME' and roll back with 'wrangler rollback --env $ENV_NAME' (worker/README.md, Runbook)"
fi
