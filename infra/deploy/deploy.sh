#!/usr/bin/env bash
# Deploys every function (Cloud Functions 2nd gen, nodejs22) and the API Gateway config.
# Needs: gcloud authenticated, and these variables:
#   GCP_PROJECT_ID, REGION (e.g. us-central1), KMS_KEY_NAME, ROOT_KEY_SECRET (secret version name),
#   SERVICE_ACCOUNT (runs the functions), GATEWAY_SA (API Gateway's invoker identity), optional
#   BQ_LOCATION (default US), CORS_ORIGINS.
# Usage: infra/deploy/deploy.sh [function ...]   (default: all six, then the gateway)
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${GCP_PROJECT_ID:?}" "${REGION:?}" "${KMS_KEY_NAME:?}" "${ROOT_KEY_SECRET:?}" "${SERVICE_ACCOUNT:?}" "${GATEWAY_SA:?}"
FUNCTIONS=("$@")
[ ${#FUNCTIONS[@]} -gt 0 ] || FUNCTIONS=(bootstrap onboard integrations locale subscriptions costs)

# '@' separates the variables (gcloud's ^@^ syntax) because CORS_ORIGINS itself contains commas.
env_vars="ENVIRONMENT=production@WAREHOUSE=bigquery@ENCRYPTION=kms@GCP_PROJECT_ID=${GCP_PROJECT_ID}@BQ_LOCATION=${BQ_LOCATION:-US}@KMS_KEY_NAME=${KMS_KEY_NAME}@CA_ROOT_API_KEY_SECRET=${ROOT_KEY_SECRET}@CORS_ORIGINS=${CORS_ORIGINS:-}"

for fn in "${FUNCTIONS[@]}"; do
  npx pnpm@10 build:function "$fn"
  gcloud functions deploy "cloudact-$fn" --gen2 --runtime=nodejs22 --region="$REGION" \
    --source="infra/deploy/dist/$fn" --entry-point="$fn" --trigger-http --no-allow-unauthenticated \
    --service-account="$SERVICE_ACCOUNT" --set-env-vars="^@^${env_vars}" --memory=1Gi --timeout=120s
  # API Gateway calls the function with an identity token of GATEWAY_SA.
  gcloud functions add-invoker-policy-binding "cloudact-$fn" --region="$REGION" --member="serviceAccount:${GATEWAY_SA}"
done

# Fill each function's URL into the generated gateway spec, then publish a new config.
spec=$(mktemp --suffix=.yaml)
cp infra/api-gateway/openapi.yaml "$spec"
for fn in bootstrap onboard integrations locale subscriptions costs; do
  url=$(gcloud functions describe "cloudact-$fn" --gen2 --region="$REGION" --format='value(serviceConfig.uri)')
  upper=$(echo "$fn" | tr '[:lower:]' '[:upper:]')
  sed -i "s#__${upper}_URL__#${url}#g" "$spec"
done
config_id="cloudact-$(date +%Y%m%d%H%M%S)"
gcloud api-gateway api-configs create "$config_id" --api=cloudact --openapi-spec="$spec" \
  --backend-auth-service-account="$GATEWAY_SA" --project="$GCP_PROJECT_ID"
gcloud api-gateway gateways update cloudact-gateway --api=cloudact --api-config="$config_id" --location="$REGION" --project="$GCP_PROJECT_ID"
