#!/usr/bin/env python3
"""Checks a deployment's configuration before anything is created or deployed.

    python3 scripts/deploy/check-config.py --env production [--config worker/wrangler.toml] [--dry-run]

Reads [env.<name>] of the wrangler configuration and the R2 policy files (worker/r2/), stops at
the first missing piece with a message that says what to change, and on success prints the
names the deploy command needs as shell assignments (NAME=value, values checked to be plain).
Secrets cannot be read back from an account; those given in this shell's environment (to be
put by the deploy command) are checked here: long enough, and not the development values of
worker/.dev.vars. Placeholder origins (example.com, .test, .invalid) fail a real deploy and
only warn in a dry run.
"""

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
WORKER = ROOT / "worker"
RESULT_TTL_SECONDS = 30 * 86400
PLACEHOLDER_DB_ID = "00000000-0000-0000-0000-000000000000"
REQUIRED_BINDINGS = {
    "r2_buckets": ("binding", "RESULTS"),
    "d1_databases": ("binding", "DB"),
    "analytics_engine_datasets": ("binding", "METRICS"),
}
SECRET_MIN_LEN = 32
PLACEHOLDER_HOST = re.compile(r"(^|\.)(example\.(com|org|net)|[^.]+\.(test|invalid|example))$")
ORIGIN = re.compile(r"^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")
PLAIN = re.compile(r"^[A-Za-z0-9._-]+$")


class Refused(Exception):
    """The first missing piece, in words for the person deploying."""


def warn(message):
    print(f"deploy: warning: {message}", file=sys.stderr)


def origin_problem(value, what, dry_run):
    """Why `value` is not a public https origin, or None."""
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        return f"{what} {value!r} is not an https origin (https://host)"
    if not ORIGIN.match(value):
        return f"{what} {value!r} must be an origin only (https://host[:port]), without a path or query"
    host = parts.hostname
    if host in ("localhost",) or host.startswith("127.") or host.endswith(".local"):
        return f"{what} {value!r} is a local address, not a public origin"
    if PLACEHOLDER_HOST.search(host):
        message = f"{what} {value!r} is a placeholder: put the deployment's own origin in worker/wrangler.toml"
        if not dry_run:
            return message
        warn(message)
    return None


def binding(section, kind, key, name):
    for entry in section.get(kind, []):
        if entry.get(key) == name:
            return entry
    return None


def dev_vars():
    """The development values of worker/.dev.vars (never acceptable as deployed secrets)."""
    values = set()
    path = WORKER / ".dev.vars"
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line and not line.lstrip().startswith("#"):
                values.add(line.split("=", 1)[1].strip().strip('"'))
    return values


def check_given_secrets(environ):
    dev = dev_vars()
    for name in ("JWT_SECRET", "UPLOAD_SECRET", "LOG_SALT", "JWT_SECRET_PREVIOUS", "UPLOAD_SECRET_PREVIOUS"):
        value = environ.get(name)
        if value is None:
            continue
        if value in dev:
            raise Refused(f"{name} in this shell is the development value from worker/.dev.vars; use a new random one (openssl rand -base64 48)")
        if len(value) < SECRET_MIN_LEN:
            raise Refused(f"{name} in this shell is {len(value)} characters; use at least {SECRET_MIN_LEN} random ones (openssl rand -base64 48)")


def check(config_path, env_name, dry_run, environ):
    try:
        config = tomllib.loads(Path(config_path).read_text())
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise Refused(f"cannot read {config_path}: {e}") from e
    section = config.get("env", {}).get(env_name)
    if section is None:
        known = ", ".join(config.get("env", {})) or "none"
        raise Refused(f"there is no [env.{env_name}] in {config_path} (environments: {known})")
    where = f"[env.{env_name}.vars]"
    vars_ = section.get("vars", {})

    dev_login = str(vars_.get("DEV_LOGIN", "false")).strip().lower()
    if dev_login != "false":
        raise Refused(f'DEV_LOGIN is "{vars_["DEV_LOGIN"]}" in {where}: development sign-in must be off in a deployment (set DEV_LOGIN = "false")')
    if "DEV_LOGIN" in environ and environ["DEV_LOGIN"].strip().lower() == "true":
        raise Refused("DEV_LOGIN=true is set in this shell: development sign-in must be off in a deployment")

    public_url = str(vars_.get("PUBLIC_URL", "")).strip()
    if not public_url:
        raise Refused(f'PUBLIC_URL is not set in {where}: set the origin users reach, e.g. PUBLIC_URL = "https://photos.example.org"')
    problem = origin_problem(public_url.rstrip("/"), f"PUBLIC_URL in {where}", dry_run)
    if problem:
        raise Refused(problem)

    cors = [o.strip() for o in str(vars_.get("CORS_ORIGINS", "")).split(",") if o.strip()]
    if not cors:
        raise Refused(f'CORS_ORIGINS is empty in {where}: list the page origins explicitly, e.g. CORS_ORIGINS = "{public_url}"')
    if "*" in cors:
        raise Refused(f"CORS_ORIGINS in {where} allows any origin (*): list the page origins explicitly")
    for origin in cors:
        problem = origin_problem(origin, f"CORS_ORIGINS entry in {where}", dry_run)
        if problem:
            raise Refused(problem)

    for kind, (key, name) in REQUIRED_BINDINGS.items():
        if binding(section, kind, key, name) is None:
            raise Refused(f"[env.{env_name}] has no {kind} entry with {key} = \"{name}\" (bindings are not inherited from the top level)")
    objects = {b.get("name") for b in section.get("durable_objects", {}).get("bindings", [])}
    for name in ("SESSIONS", "LIMITER"):
        if name not in objects:
            raise Refused(f"[env.{env_name}.durable_objects] has no binding {name}")
    bucket = binding(section, "r2_buckets", "binding", "RESULTS")["bucket_name"]
    database = binding(section, "d1_databases", "binding", "DB")
    dataset = binding(section, "analytics_engine_datasets", "binding", "METRICS")["dataset"]
    if vars_.get("R2_BUCKET_NAME", bucket) != bucket:
        raise Refused(f"R2_BUCKET_NAME in {where} is {vars_['R2_BUCKET_NAME']!r} but the RESULTS bucket is {bucket!r}")

    lifecycle_path = WORKER / "r2" / "lifecycle.json"
    lifecycle = json.loads(lifecycle_path.read_text())
    expiry = [r for r in lifecycle.get("rules", []) if r.get("enabled") and "deleteObjectsTransition" in r]
    if not expiry or expiry[0]["deleteObjectsTransition"]["condition"].get("maxAge") != RESULT_TTL_SECONDS:
        raise Refused(f"{lifecycle_path.relative_to(ROOT)} must delete objects {RESULT_TTL_SECONDS} s (30 days) after upload, as the worker promises")
    cors_path = WORKER / "r2" / f"cors.{env_name}.json"
    if not cors_path.exists():
        raise Refused(f"{cors_path.relative_to(ROOT)} is missing: the bucket's CORS policy for browser uploads")
    rules = json.loads(cors_path.read_text()).get("rules", [])
    allowed = {o for r in rules for o in r.get("allowed", {}).get("origins", [])}
    if allowed != set(cors):
        raise Refused(f"{cors_path.relative_to(ROOT)} allows {sorted(allowed)} but CORS_ORIGINS in {where} is {sorted(cors)}: make them the same")
    if not any("PUT" in r.get("allowed", {}).get("methods", []) for r in rules):
        raise Refused(f"{cors_path.relative_to(ROOT)} does not allow PUT (browser uploads)")

    check_given_secrets(environ)

    out = {
        "WORKER_NAME": section.get("name", f"{config.get('name', 'retouch')}-{env_name}"),
        "BUCKET": bucket,
        "DB_NAME": database["database_name"],
        "DB_ID": database.get("database_id", PLACEHOLDER_DB_ID),
        "DATASET": dataset,
        "PUBLIC_URL": public_url.rstrip("/"),
        "CORS_FILE": str(cors_path.relative_to(ROOT)),
        "LIFECYCLE_FILE": str(lifecycle_path.relative_to(ROOT)),
    }
    for k, v in out.items():
        if not (ORIGIN.match(v) if k == "PUBLIC_URL" else PLAIN.match(v.replace("/", ""))):
            raise Refused(f"{k} {v!r} has characters a Cloudflare resource name cannot have")
    return out


def main():
    import os

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", required=True)
    parser.add_argument("--config", default=str(WORKER / "wrangler.toml"))
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    try:
        out = check(args.config, args.env, args.dry_run, os.environ)
    except Refused as e:
        print(f"deploy: {e}", file=sys.stderr)
        return 1
    for k, v in out.items():
        print(f"{k}='{v}'")
    return 0


if __name__ == "__main__":
    sys.exit(main())
