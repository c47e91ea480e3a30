"""The JSON Schema of the parameter file, for editors that complete and check YAML."""

from __future__ import annotations

import json

from avtal.load.model import Params


def schema_json() -> str:
    """The schema as indented, key-sorted JSON."""
    schema = Params.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "avtal parameter file"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True)
