#!/usr/bin/env bash
# Lints the AWS SAM template with cfn-lint (PyPI), pinned and installed project-locally in .tools/cfn-lint.
# Two passes: the template as written (cfn-lint checks AWS::Serverless resources against SAM's schemas),
# then the CloudFormation the SAM transform makes of it (sam-translate.py), since cfn-lint from 1.54.0 no
# longer transforms, and the generated roles, routes and permissions, and any circular dependency
# through them, exist only after it. Any error or warning fails.
#   usage: deploy/aws/lint.sh [TEMPLATE]        (npm run lint:aws)
set -euo pipefail
template=deploy/aws/template.yaml
if [ $# -gt 0 ]; then template=$(realpath "$1"); fi
cd "$(dirname "$0")/../.."

CFN_LINT_VERSION=1.58.0
SAM_TRANSLATOR_VERSION=1.115.0
venv=.tools/cfn-lint

installed() {
  [ "$("$venv/bin/cfn-lint" --version 2>/dev/null)" = "cfn-lint $CFN_LINT_VERSION" ] &&
    "$venv/bin/python" -c 'import sys, samtranslator; sys.exit(samtranslator.__version__ != sys.argv[1])' \
      "$SAM_TRANSLATOR_VERSION" 2>/dev/null
}
if ! installed; then
  echo "lint:aws: installing cfn-lint $CFN_LINT_VERSION and aws-sam-translator $SAM_TRANSLATOR_VERSION into $venv"
  python3 -m venv --clear "$venv"
  PIP_ROOT_USER_ACTION=ignore "$venv/bin/pip" install --quiet --disable-pip-version-check \
    "cfn-lint==$CFN_LINT_VERSION" "aws-sam-translator==$SAM_TRANSLATOR_VERSION"
fi

"$venv/bin/cfn-lint" "$template"

transformed=$(mktemp -d)
trap 'rm -rf "$transformed"' EXIT
"$venv/bin/python" deploy/aws/sam-translate.py "$template" >"$transformed/after-sam-transform.json"
"$venv/bin/cfn-lint" "$transformed/after-sam-transform.json" || {
  status=$?
  echo "lint:aws: the findings above are in the CloudFormation the SAM transform makes of $template" >&2
  exit "$status"
}
echo "lint:aws: $template passes cfn-lint $CFN_LINT_VERSION, as written and after the SAM transform"
