"""The OpenAPI description is valid OpenAPI: clients generate code from it, and a schema that
contradicts itself (a default of '' on a field that must not be blank) breaks them."""
import json

from drf_spectacular.generators import SchemaGenerator
from openapi_spec_validator import validate
from openapi_spec_validator.validation.validators import OpenAPIV30SpecValidator


def _schema() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(generated, default=str))


def test_the_api_schema_validates_as_openapi():
    document = _schema()
    errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
              for error in OpenAPIV30SpecValidator(document).iter_errors()]
    assert not errors, "\n".join(errors[:20])
    validate(document)


def test_no_default_contradicts_its_own_field():
    """Named separately so that a failure says where: every default in every request and
    response schema must satisfy the constraints declared beside it."""
    contradictions = []

    def walk(node, path):
        if isinstance(node, dict):
            default = node.get("default")
            if isinstance(default, str) and len(default) < node.get("minLength", 0):
                contradictions.append("/".join(path))
            for key, value in node.items():
                walk(value, path + [str(key)])
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, path + [str(index)])

    walk(_schema(), [])
    assert not contradictions, contradictions
