#!/usr/bin/env bash
# Deploys every function (Cloud Functions 2nd gen, nodejs22), the API Gateway (API, config,
# gateway) and the key-usage log sink, in one project. Idempotent: what exists is updated, what is
# absent is created, IAM grants are re-applied (gcloud treats an existing binding as a no-op).
#
# Needs gcloud (and bq) authenticated, and:
#   GCP_PROJECT_ID, REGION (e.g. us-central1), KMS_KEY_NAME (projects/P/locations/L/keyRings/R/cryptoKeys/K),
#   ROOT_KEY_SECRET (Secret Manager secret holding the root key, e.g. ca-root-key),
#   SERVICE_ACCOUNT (runs the functions), GATEWAY_SA (API Gateway's invoker identity).
# Optional: ROOT_KEY_VERSION (latest), BQ_LOCATION (US), CORS_ORIGINS, FUNCTION_TIMEOUT_SECONDS (120),
#   ONBOARDING_LEASE_SECONDS (300, must exceed the timeout), CONCURRENCY (80), MAX_INSTANCES (20),
#   TRUSTED_PROXY_HOPS (1: API Gateway appends the caller's address, Google's front end then
#   appends the gateway's; check one real request's X-Forwarded-For after the first deploy),
#   API_ID (cloudact), GATEWAY_ID (cloudact-gateway), KEY_USAGE_DATASET (org_key_usage),
#   EXPORT_BUCKET (<project>-cloudact-exports), EXPORT_RETENTION_DAYS (1), DIST_DIR (infra/deploy/dist),
#   SCHEDULER_SA (GATEWAY_SA: the identity Cloud Scheduler calls the
#   alerts function as), ALERTS_SCHEDULE ("0 * * * *": hourly alert evaluation), DIGESTS_SCHEDULE
#   ("*/15 * * * *": due digests, so one is sent within 15 minutes of its time).
# Usage: infra/deploy/deploy.sh [function ...]   (default: all six, then gateway and log sink)
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${GCP_PROJECT_ID:?}" "${REGION:?}" "${KMS_KEY_NAME:?}" "${ROOT_KEY_SECRET:?}" "${SERVICE_ACCOUNT:?}" "${GATEWAY_SA:?}"
P="$GCP_PROJECT_ID"
TIMEOUT="${FUNCTION_TIMEOUT_SECONDS:-120}"
LEASE="${ONBOARDING_LEASE_SECONDS:-300}"
# Each instance caches verified org keys and org profiles, so one instance serving many requests
# at once (and 1 full vCPU to do it) is what keeps warm requests off the warehouse; see README.
CONCURRENCY="${CONCURRENCY:-80}"
MAX_INSTANCES="${MAX_INSTANCES:-20}"
API_ID="${API_ID:-cloudact}"
GATEWAY_ID="${GATEWAY_ID:-cloudact-gateway}"
KEY_USAGE_DATASET="${KEY_USAGE_DATASET:-org_key_usage}"
DIST_DIR="${DIST_DIR:-infra/deploy/dist}"
EXPORT_BUCKET="${EXPORT_BUCKET:-${P}-cloudact-exports}"
EXPORT_RETENTION_DAYS="${EXPORT_RETENTION_DAYS:-1}"
ALL=(bootstrap onboard integrations locale subscriptions costs pipelines hierarchy budgets alerts)
FUNCTIONS=("$@")
[ ${#FUNCTIONS[@]} -gt 0 ] || FUNCTIONS=("${ALL[@]}")

[[ "$KMS_KEY_NAME" =~ ^projects/[^/]+/locations/([^/]+)/keyRings/([^/]+)/cryptoKeys/([^/]+)$ ]] \
  || { echo "KMS_KEY_NAME must be projects/P/locations/L/keyRings/R/cryptoKeys/K" >&2; exit 2; }
KMS_LOCATION="${BASH_REMATCH[1]}" KMS_RING="${BASH_REMATCH[2]}" KMS_KEY="${BASH_REMATCH[3]}"
# A slow onboarding still inside its deadline must not lose its slug to a retry (config checks it too).
[ "$LEASE" -gt "$TIMEOUT" ] || { echo "ONBOARDING_LEASE_SECONDS ($LEASE) must exceed FUNCTION_TIMEOUT_SECONDS ($TIMEOUT)" >&2; exit 2; }

# --- APIs the functions call beyond those a function deploy enables. -------------------------------
# The cost views read query results through the BigQuery Storage Read API (gRPC), its own service.
gcloud services enable bigquerystorage.googleapis.com --project="$P"
# Export download URLs are V4 signed by the runtime account through IAM signBlob (no key file).
gcloud services enable iamcredentials.googleapis.com --project="$P"

# --- Runtime identity: only what the code calls. ---------------------------------------------------
# dataEditor: read and write the tables; jobUser: run query jobs; readSessionUser: open Storage Read
# API sessions on a job's result table (bigquery.readsessions.create; the other two lack it).
for role in roles/bigquery.dataEditor roles/bigquery.jobUser roles/bigquery.readSessionUser; do
  gcloud projects add-iam-policy-binding "$P" --member="serviceAccount:${SERVICE_ACCOUNT}" --role="$role" --condition=None --quiet >/dev/null
done
gcloud kms keys add-iam-policy-binding "$KMS_KEY" --keyring="$KMS_RING" --location="$KMS_LOCATION" --project="$P" \
  --member="serviceAccount:${SERVICE_ACCOUNT}" --role=roles/cloudkms.cryptoKeyEncrypterDecrypter >/dev/null
gcloud secrets add-iam-policy-binding "$ROOT_KEY_SECRET" --project="$P" \
  --member="serviceAccount:${SERVICE_ACCOUNT}" --role=roles/secretmanager.secretAccessor >/dev/null

# --- Cost export jobs: BigQuery EXPORT DATA writes here, downloads are signed URLs. -----------------
# Same location as the datasets (EXPORT DATA requires it); private; files deleted after a day.
if ! gcloud storage buckets describe "gs://${EXPORT_BUCKET}" --project="$P" --format='value(name)' >/dev/null 2>&1; then
  gcloud storage buckets create "gs://${EXPORT_BUCKET}" --project="$P" --location="${BQ_LOCATION:-US}" \
    --uniform-bucket-level-access --public-access-prevention
fi
lifecycle="$(mktemp)"
printf '{"rule":[{"action":{"type":"Delete"},"condition":{"age":%d}}]}\n' "$EXPORT_RETENTION_DAYS" > "$lifecycle"
gcloud storage buckets update "gs://${EXPORT_BUCKET}" --project="$P" --lifecycle-file="$lifecycle"
rm -f "$lifecycle"
# objectAdmin on this bucket only: the export job (run as this account) writes and overwrites
# objects, the status route lists and reads them. tokenCreator on itself: signBlob for V4 URLs.
gcloud storage buckets add-iam-policy-binding "gs://${EXPORT_BUCKET}" --project="$P" \
  --member="serviceAccount:${SERVICE_ACCOUNT}" --role=roles/storage.objectAdmin >/dev/null
gcloud iam service-accounts add-iam-policy-binding "$SERVICE_ACCOUNT" --project="$P" \
  --member="serviceAccount:${SERVICE_ACCOUNT}" --role=roles/iam.serviceAccountTokenCreator >/dev/null

# --- Functions. ------------------------------------------------------------------------------------
# '@' separates the variables (gcloud's ^@^ syntax) because CORS_ORIGINS itself contains commas.
# The root key arrives as CA_ROOT_API_KEY through --set-secrets: no Secret Manager call at start.
env_vars="ENVIRONMENT=production@WAREHOUSE=bigquery@ENCRYPTION=kms@GCP_PROJECT_ID=${P}@BQ_LOCATION=${BQ_LOCATION:-US}@KMS_KEY_NAME=${KMS_KEY_NAME}@CORS_ORIGINS=${CORS_ORIGINS:-}@FUNCTION_TIMEOUT_SECONDS=${TIMEOUT}@ONBOARDING_LEASE_SECONDS=${LEASE}@TRUSTED_PROXY_HOPS=${TRUSTED_PROXY_HOPS:-1}@EXPORT_BUCKET=${EXPORT_BUCKET}"
for fn in "${FUNCTIONS[@]}"; do
  npx --no-install tsx infra/deploy/build-function.ts "$fn" "$DIST_DIR/$fn"
  gcloud functions deploy "cloudact-$fn" --gen2 --runtime=nodejs22 --region="$REGION" --project="$P" \
    --source="$DIST_DIR/$fn" --entry-point="$fn" --trigger-http --no-allow-unauthenticated \
    --service-account="$SERVICE_ACCOUNT" --set-env-vars="^@^${env_vars}" \
    --set-secrets="CA_ROOT_API_KEY=${ROOT_KEY_SECRET}:${ROOT_KEY_VERSION:-latest}" \
    --memory=1Gi --cpu=1 --concurrency="$CONCURRENCY" --max-instances="$MAX_INSTANCES" --timeout="${TIMEOUT}s"
  # API Gateway calls the function with an identity token of GATEWAY_SA.
  gcloud functions add-invoker-policy-binding "cloudact-$fn" --region="$REGION" --project="$P" --member="serviceAccount:${GATEWAY_SA}"
done

# --- API Gateway: API, a new config (configs are immutable), gateway. -------------------------------
spec=$(mktemp --suffix=.yaml)
trap 'rm -f "$spec"' EXIT
cp infra/api-gateway/openapi.yaml "$spec"
for fn in "${ALL[@]}"; do
  url=$(gcloud functions describe "cloudact-$fn" --gen2 --region="$REGION" --project="$P" --format='value(serviceConfig.uri)')
  upper=$(echo "$fn" | tr '[:lower:]' '[:upper:]')
  sed -i "s#__${upper}_URL__#${url}#g" "$spec"
done
if ! gcloud api-gateway apis describe "$API_ID" --project="$P" --format='value(name)' >/dev/null 2>&1; then
  gcloud api-gateway apis create "$API_ID" --project="$P"
fi
managed_service=$(gcloud api-gateway apis describe "$API_ID" --project="$P" --format='value(managedService)')
gcloud services enable "$managed_service" --project="$P"
config_id="cloudact-$(date +%Y%m%d%H%M%S)"
gcloud api-gateway api-configs create "$config_id" --api="$API_ID" --openapi-spec="$spec" \
  --backend-auth-service-account="$GATEWAY_SA" --project="$P"
if gcloud api-gateway gateways describe "$GATEWAY_ID" --location="$REGION" --project="$P" --format='value(name)' >/dev/null 2>&1; then
  gcloud api-gateway gateways update "$GATEWAY_ID" --api="$API_ID" --api-config="$config_id" --location="$REGION" --project="$P"
else
  gcloud api-gateway gateways create "$GATEWAY_ID" --api="$API_ID" --api-config="$config_id" --location="$REGION" --project="$P"
fi

# --- Alert evaluation: Cloud Scheduler jobs call the alerts function's process-all: hourly for ------
# every rule and digest, every 15 minutes for the due digests only (alert_types ["summary"]: one
# query finds the orgs with a digest due, nothing else is read).
# The function is IAM-protected: Scheduler sends an identity token of SCHEDULER_SA (an invoker of
# every function, like GATEWAY_SA). The route is a root route, so the job carries the root key in a
# header, read from Secret Manager here: whoever can read Scheduler jobs can read it (keep that role
# to the deployers). A run is idempotent: each rule x period x threshold fires once.
gcloud services enable cloudscheduler.googleapis.com --project="$P"
alerts_url=$(gcloud functions describe cloudact-alerts --gen2 --region="$REGION" --project="$P" --format='value(serviceConfig.uri)')
root_key=$(gcloud secrets versions access "${ROOT_KEY_VERSION:-latest}" --secret="$ROOT_KEY_SECRET" --project="$P")
scheduler_sa="${SCHEDULER_SA:-$GATEWAY_SA}"
schedule_job() { # name, schedule, body
  local job_args=(--location="$REGION" --project="$P" --schedule="$2" --time-zone=UTC
    --uri="${alerts_url}/api/v1/admin/alerts/process-all" --http-method=POST --message-body="$3"
    --oidc-service-account-email="$scheduler_sa" --oidc-token-audience="$alerts_url" --attempt-deadline="${TIMEOUT}s")
  if gcloud scheduler jobs describe "$1" --location="$REGION" --project="$P" --format='value(name)' >/dev/null 2>&1; then
    gcloud scheduler jobs update http "$1" "${job_args[@]}" --update-headers="Content-Type=application/json,X-CA-Root-Key=${root_key}" >/dev/null
  else
    gcloud scheduler jobs create http "$1" "${job_args[@]}" --headers="Content-Type=application/json,X-CA-Root-Key=${root_key}" >/dev/null
  fi
}
schedule_job cloudact-alerts-hourly "${ALERTS_SCHEDULE:-0 * * * *}" '{}'
schedule_job cloudact-alerts-digests "${DIGESTS_SCHEDULE:-*/15 * * * *}" '{"alert_types":["summary"]}'

# --- Key usage: request log lines with a key id, appended to BigQuery by a log sink. ----------------
# No warehouse job per request: `last_used_at` is MAX(timestamp) over this table (see
# configs/setup/key_usage). Partitioned tables: one `run_googleapis_com_stdout` partitioned by day.
bq --project_id="$P" mk --force --dataset --location="${BQ_LOCATION:-US}" "${P}:${KEY_USAGE_DATASET}" >/dev/null
sink_dest="bigquery.googleapis.com/projects/${P}/datasets/${KEY_USAGE_DATASET}"
sink_filter='resource.type="cloud_run_revision" AND resource.labels.service_name=~"^cloudact-" AND logName="projects/'"$P"'/logs/run.googleapis.com%2Fstdout" AND jsonPayload.org_api_key_id:*'
if gcloud logging sinks describe cloudact-key-usage --project="$P" --format='value(name)' >/dev/null 2>&1; then
  gcloud logging sinks update cloudact-key-usage "$sink_dest" --log-filter="$sink_filter" --project="$P"
else
  gcloud logging sinks create cloudact-key-usage "$sink_dest" --log-filter="$sink_filter" --use-partitioned-tables --project="$P"
fi
writer=$(gcloud logging sinks describe cloudact-key-usage --project="$P" --format='value(writerIdentity)')
gcloud projects add-iam-policy-binding "$P" --member="$writer" --role=roles/bigquery.dataEditor --condition=None --quiet >/dev/null
