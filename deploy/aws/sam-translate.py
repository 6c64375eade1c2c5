"""Print the CloudFormation that the SAM transform makes of a template, for cfn-lint to check.

cfn-lint (from 1.54.0) checks AWS::Serverless resources against SAM's schemas and no longer runs the
transform, so what only exists after it (the functions' generated roles, the HTTP API's routes and
permissions, a circular dependency through them) goes unchecked. This runs aws-sam-translator
offline, as `sam deploy` would have CloudFormation do, with local CodeUri folders replaced by a
placeholder S3 address (the code itself is not needed to translate).

usage: python sam-translate.py TEMPLATE > OUT.json
"""

import json
import os
import sys

from cfnlint.decode import decode
from samtranslator.parser.parser import Parser
from samtranslator.public.exceptions import InvalidDocumentException
from samtranslator.translator.translator import Translator

PLACEHOLDER_CODE = "s3://placeholder-bucket/placeholder.zip"


def main(path: str) -> int:
    template, problems = decode(path)
    if problems or template is None:
        for problem in problems or []:
            print(f"{path}: {problem}", file=sys.stderr)
        return 1
    # cfnlint's decoder returns dict and str subclasses that remember line numbers; plain JSON types.
    template = json.loads(json.dumps(template))

    functions = [
        props
        for resource in template.get("Resources", {}).values()
        if resource.get("Type") == "AWS::Serverless::Function"
        for props in [resource.setdefault("Properties", {})]
    ]
    global_function = template.get("Globals", {}).get("Function", {})
    for props in functions + [global_function]:
        code = props.get("CodeUri")
        if isinstance(code, str) and not code.startswith("s3://"):
            props["CodeUri"] = PLACEHOLDER_CODE

    # The translator takes the partition from the region; no AWS call is made.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    try:
        output = Translator(managed_policy_map={}, sam_parser=Parser()).translate(
            sam_template=template, parameter_values={}, passthrough_metadata=True
        )
    except InvalidDocumentException as error:
        for cause in error.causes:
            print(f"{path}: SAM transform: {cause.message}", file=sys.stderr)
        return 1
    json.dump(output, sys.stdout, indent=2, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1]))
