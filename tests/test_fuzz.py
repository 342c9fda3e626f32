"""Property-based fuzzing of the questionnaire form and the JSON API (hypothesis).

Over 2,000 generated submissions: valid answers with random mutations (keys
dropped, duplicated, renamed; values oversized, of the wrong type, or taken
from another question), random bodies, invalid UTF-8, more fields than
``DATA_UPLOAD_MAX_NUMBER_FIELDS`` and deeply nested JSON. Every one must end
in a success (303 for the form, 201 for the API) or a clear 4xx, never a 500,
and exactly one ``Recommendation`` is saved per success and none otherwise.

pytest-django's per-test transaction cannot be rolled back per example, so
each example counts the saved rows before and after itself.
"""

import json
from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from advisor import models
from advisor.engine import questions
from tests.conftest import catalogue_create, complete_answers

FORM_EXAMPLES = 800
API_EXAMPLES = 1300  # 2,100 generated submissions in all, plus the explicit examples
QUICK_SHARE = 10  # the default run fuzzes a tenth as much; the slow tier runs the full size
QUICK_SIZES = {FORM_EXAMPLES // QUICK_SHARE, API_EXAMPLES // QUICK_SHARE}


def sizes(full):
    return pytest.mark.parametrize(
        "examples",
        [pytest.param(full // QUICK_SHARE, id="quick"), pytest.param(full, id="full", marks=pytest.mark.slow)],
    )


KEYS = list(questions.KEYS)
ALL_VALUES = sorted({value for q in questions.QUESTIONS for value in q.values})
MAX_FIELDS = django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS


def fuzz_settings(examples):
    return hypothesis_settings(
        max_examples=examples,
        # The quick run is the same every time (a fixed set of examples, so its share of valid and
        # invalid bodies cannot fall under the bar by chance); the full run in the slow tier explores.
        derandomize=examples in QUICK_SIZES,
        deadline=None,
        database=None,  # nothing written into the repository
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture
def fuzz_client(db, settings):
    settings.ADVISOR_SUBMISSION_LIMIT = 10**9
    catalogue_create(6)
    return Client(raise_request_exception=False)


def valid_pairs(answers=None):
    pairs = []
    for key, value in (answers or complete_answers()).items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, item))
    return pairs


# --- Strategies ---------------------------------------------------------------

text = st.text(max_size=40)
oversized = st.integers(min_value=1_000, max_value=200_000).map(lambda n: "a" * n)
key_names = st.one_of(st.sampled_from(KEYS), text, st.sampled_from(["csrfmiddlewaretoken", "submit", "answers", ""]))
value_text = st.one_of(st.sampled_from(ALL_VALUES), text, oversized, st.sampled_from(["", " ", "\x00", "on", "1"]))


@st.composite
def valid_answers(draw):
    """A random, complete and valid set of answers."""
    answers = {}
    for question in questions.QUESTIONS:
        if question.multiple:
            answers[question.key] = draw(
                st.lists(st.sampled_from(question.values), min_size=int(question.at_least_one), unique=True)
            )
        else:
            answers[question.key] = draw(st.sampled_from(question.values))
    if answers["deployment"] == "on-device":
        answers["hardware"] = draw(st.sampled_from(sorted(questions.DEVICES)))
    return answers


@st.composite
def mutated_pairs(draw):
    """Valid answers as form pairs, then a few random edits."""
    pairs = valid_pairs(draw(valid_answers()))
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        operation = draw(st.sampled_from(["drop", "replace", "duplicate", "add", "shuffle", "tamper"]))
        if operation == "drop" and pairs:
            pairs.pop(draw(st.integers(min_value=0, max_value=len(pairs) - 1)))
        elif operation == "replace" and pairs:
            index = draw(st.integers(min_value=0, max_value=len(pairs) - 1))
            pairs[index] = (pairs[index][0], draw(value_text))
        elif operation == "duplicate" and pairs:
            key = draw(st.sampled_from(pairs))[0]
            pairs.append((key, draw(value_text)))
        elif operation == "add":
            pairs.append((draw(key_names), draw(value_text)))
        elif operation == "shuffle":
            pairs = draw(st.permutations(pairs))
        elif operation == "tamper" and pairs:
            # A value that is valid for *another* question.
            index = draw(st.integers(min_value=0, max_value=len(pairs) - 1))
            pairs[index] = (pairs[index][0], draw(st.sampled_from(ALL_VALUES)))
    return list(pairs)


def urlencoded(pairs):
    return urlencode(pairs).encode()


@st.composite
def form_bodies(draw):
    """(content type, raw body) for a POST to the questionnaire."""
    kind = draw(
        st.sampled_from(["pairs", "pairs", "pairs", "valid", "valid", "bad-bytes", "raw-bytes", "many", "other"])
    )
    if kind == "valid":
        return "application/x-www-form-urlencoded", urlencoded(valid_pairs(draw(valid_answers())))
    if kind == "pairs":
        return "application/x-www-form-urlencoded", urlencoded(draw(mutated_pairs()))
    if kind == "bad-bytes":
        # Percent-encoded bytes that are not UTF-8, in a key or a value.
        pairs = draw(mutated_pairs())
        junk = draw(st.binary(min_size=1, max_size=20))
        encoded = urlencode(pairs) + f"&{quote_from_bytes(junk)}={quote_from_bytes(junk[::-1])}"
        return "application/x-www-form-urlencoded", encoded.encode()
    if kind == "raw-bytes":
        return draw(st.sampled_from(["application/x-www-form-urlencoded", "multipart/form-data"])), draw(
            st.binary(max_size=2000)
        )
    if kind == "many":
        count = draw(st.integers(min_value=MAX_FIELDS - 5, max_value=MAX_FIELDS * 3))
        return "application/x-www-form-urlencoded", urlencoded([*valid_pairs(), *[("f", "1")] * count])
    content_type = draw(st.sampled_from(["text/plain", "application/json", "", "application/x-www-form-urlencoded; x"]))
    return content_type, urlencoded(draw(mutated_pairs()))


json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True), text, oversized
)
json_values = st.recursive(
    json_scalars, lambda children: st.lists(children, max_size=5) | st.dictionaries(text, children, max_size=5)
)


@st.composite
def mutated_answers(draw):
    answers = draw(valid_answers())
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        operation = draw(st.sampled_from(["drop", "wrong-type", "tamper", "add", "list-junk", "oversize"]))
        key = draw(st.sampled_from(KEYS))
        if operation == "drop":
            answers.pop(key, None)
        elif operation == "wrong-type":
            answers[key] = draw(json_values)
        elif operation == "tamper":
            value = draw(st.sampled_from(ALL_VALUES))
            answers[key] = [value] if isinstance(answers.get(key), list) else value
        elif operation == "add":
            answers[draw(text)] = draw(json_values)
        elif operation == "list-junk":
            answers[key] = draw(st.lists(st.one_of(st.sampled_from(ALL_VALUES), json_scalars), max_size=8))
        elif operation == "oversize":
            answers[key] = draw(oversized)
    return answers


def nested(depth, leaf="1"):
    return "[" * depth + leaf + "]" * depth


@st.composite
def api_bodies(draw):
    """(content type, raw body) for a POST to the JSON API."""
    kind = draw(st.sampled_from(["answers", "answers", "answers", "valid", "envelope", "json", "bytes", "deep", "big"]))
    content_type = "application/json"
    if kind == "valid":
        body = json.dumps({"answers": draw(valid_answers())}).encode()
    elif kind == "answers":
        body = json.dumps({"answers": draw(mutated_answers())}).encode()
    elif kind == "envelope":
        envelope = {"answers": complete_answers(), **draw(st.dictionaries(text, json_values, max_size=3))}
        body = json.dumps(envelope).encode()
    elif kind == "json":
        body = json.dumps(draw(json_values)).encode()
    elif kind == "bytes":
        body = draw(st.binary(max_size=3000))
        if draw(st.booleans()):
            body = b'{"answers": {"deployment": "' + body + b'"}}'
    elif kind == "deep":
        depth = draw(st.integers(min_value=100, max_value=8000))
        where = draw(st.sampled_from(["top", "answer", "answers"]))
        if where == "top":
            body = nested(depth).encode()
        elif where == "answers":
            body = ('{"answers": ' + nested(depth) + "}").encode()
        else:
            body = ('{"answers": {"languages": ' + nested(depth, '"en"') + "}}").encode()
    else:
        body = json.dumps({"answers": {**complete_answers(), "x": "a" * 20_000}}).encode()
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        content_type = draw(st.sampled_from(["text/plain", "application/json; charset=latin-1", "", "application/xml"]))
    return content_type, body


# --- The properties -----------------------------------------------------------


def post_and_check(client, url, content_type, body, success_status):
    before = models.Recommendation.objects.count()
    # generic(): the bytes go out exactly as generated (post() would re-encode them per charset).
    response = client.generic("POST", url, data=body, content_type=content_type)
    saved = models.Recommendation.objects.count() - before
    status = response.status_code
    assert status < 500, (status, content_type, body[:300])
    if status == success_status:
        assert saved == 1
    else:
        assert 400 <= status < 500, (status, body[:300])
        assert saved == 0, (status, body[:300])
        assert response.content, "a 4xx says what went wrong"
    return status


@sizes(FORM_EXAMPLES)
def test_the_form_survives_generated_submissions(fuzz_client, examples):
    url = reverse("advisor:questionnaire")
    statuses = []

    @fuzz_settings(examples)
    @given(form_bodies())
    @example(("application/x-www-form-urlencoded", urlencoded(valid_pairs())))
    @example(("application/x-www-form-urlencoded", b"deployment=\xff\xfe&languages=en\xc3"))
    @example(("application/x-www-form-urlencoded", urlencoded([*valid_pairs(), *[("f", "1")] * (MAX_FIELDS + 1)])))
    @example(("application/x-www-form-urlencoded", ("&".join(f"{quote(k)}=" for k in KEYS)).encode()))
    @example(("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=\xff\r\n\r\n1\r\n--x--"))
    def submit(content_type_and_body):
        content_type, body = content_type_and_body
        statuses.append(post_and_check(fuzz_client, url, content_type, body, success_status=303))

    submit()
    assert len(statuses) >= examples
    # Both outcomes were exercised: the generator is neither all-valid nor all-junk.
    assert statuses.count(303) >= examples // 8, statuses.count(303)
    assert sum(400 <= s < 500 for s in statuses) >= examples * 3 // 8


@sizes(API_EXAMPLES)
def test_the_api_survives_generated_submissions(fuzz_client, examples):
    url = reverse("api:recommendations")
    statuses = []

    @fuzz_settings(examples)
    @given(api_bodies())
    @example(("application/json", json.dumps({"answers": complete_answers()}).encode()))
    @example(("application/json", nested(5000).encode()))
    @example(("application/json", ('{"answers": ' + nested(5000) + "}").encode()))
    @example(("application/json", ('{"answers": {"languages": ' + nested(3000, '"en"') + "}}").encode()))
    @example(("application/json", b'{"answers": {"deployment": "\xff\xfe"}}'))
    @example(("application/json", b"\xef\xbb\xbf" + json.dumps({"answers": complete_answers()}).encode()))
    @example(("application/json", b'{"answers": NaN}'))
    @example(("application/json", b'{"answers": {}, "answers": {"deployment": 1e999}}'))
    def submit(content_type_and_body):
        content_type, body = content_type_and_body
        statuses.append(post_and_check(fuzz_client, url, content_type, body, success_status=201))

    submit()
    assert len(statuses) >= examples
    assert statuses.count(201) >= examples // 13, statuses.count(201)
    assert sum(400 <= s < 500 for s in statuses) >= examples * 3 // 13
