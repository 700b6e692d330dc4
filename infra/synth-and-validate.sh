#!/usr/bin/env bash
# Synthesises the Viewfold stack offline (no AWS credentials, no network but the registries for the
# first install) and validates the template with @aws/cloudformation-validate. Function packages
# and the model that are not built/present become placeholders (-c allowPlaceholders=true): this
# checks the infrastructure, not the application. Run from anywhere; writes infra/cdk.out.
# Extra arguments go to `cdk synth` (for example -c clusterMode=ecs).
set -euo pipefail
cd "$(dirname "$0")"

# Pinned tools in infra/node_modules (package.json + package-lock.json), never global.
if [ ! -x node_modules/.bin/cdk ] || [ ! -d node_modules/@aws/cloudformation-validate ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# jsii (Java → the CDK's JavaScript) runs on Node: quiet about Node 20's end of life, cache in the build.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export JSII_RUNTIME_PACKAGE_CACHE_ROOT="$PWD/target/jsii-cache"
# Offline: no notices, no telemetry, no version reporting, no instance-metadata probe for credentials.
export CDK_DISABLE_CLI_TELEMETRY=true
export AWS_EC2_METADATA_DISABLED=true

rm -rf cdk.out
node_modules/.bin/cdk synth --quiet --no-notices --no-version-reporting \
  -c allowPlaceholders=true "$@"
node validate-templates.js cdk.out
