"""A port of the MDN HTTP Observatory's scoring for the headers we control.

Ported from mdn/mdn-http-observatory (src/analyzer/tests/*.js, src/grader/charts.js,
src/scanner/index.js): same expectations, same modifiers, same rule that bonus
points only count when the score without them is already 90 or more. Tests
that need a live TLS connection (certificate chain, the HSTS preload list) are
scored as the Observatory would for a valid certificate that is not preloaded.

``scan()`` takes Django test-client responses and returns a ``Scan`` with the
score, the grade and, per test, the expectation and its modifier, so a failing
assertion says which rule cost points.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Modifiers, from SCORE_TABLE in src/grader/charts.js.
MODIFIERS = {
    # CSP
    "csp-implemented-with-no-unsafe-default-src-none": 10,
    "csp-implemented-with-no-unsafe": 5,
    "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
    "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
    "csp-implemented-with-unsafe-eval": -10,
    "csp-implemented-with-unsafe-inline": -20,
    "csp-implemented-with-insecure-scheme": -20,
    "csp-header-invalid": -25,
    "csp-not-implemented": -25,
    # Cookies
    "cookies-secure-with-httponly-sessions-and-samesite": 5,
    "cookies-secure-with-httponly-sessions": 0,
    "cookies-not-found": 0,
    "cookies-without-secure-flag-but-protected-by-hsts": -5,
    "cookies-session-without-secure-flag-but-protected-by-hsts": -10,
    "cookies-without-secure-flag": -20,
    "cookies-samesite-flag-invalid": -20,
    "cookies-anticsrf-without-samesite-flag": -20,
    "cookies-session-without-httponly-flag": -30,
    "cookies-session-without-secure-flag": -40,
    # CORS
    "cross-origin-resource-sharing-not-implemented": 0,
    "cross-origin-resource-sharing-implemented-with-public-access": 0,
    "cross-origin-resource-sharing-implemented-with-restricted-access": 0,
    "cross-origin-resource-sharing-implemented-with-universal-access": -50,
    # Redirection
    "redirection-to-https": 0,
    "redirection-not-needed-no-http": 0,
    "redirection-off-host-from-http": -5,
    "redirection-not-to-https-on-initial-redirection": -10,
    "redirection-not-to-https": -20,
    "redirection-missing": -20,
    # Referrer-Policy
    "referrer-policy-private": 5,
    "referrer-policy-not-implemented": 0,
    "referrer-policy-unsafe": -5,
    "referrer-policy-header-invalid": -5,
    # HSTS
    "hsts-preloaded": 5,
    "hsts-implemented-max-age-at-least-six-months": 0,
    "hsts-implemented-max-age-less-than-six-months": -10,
    "hsts-not-implemented": -20,
    "hsts-header-invalid": -20,
    "hsts-not-implemented-no-https": -20,
    # Subresource integrity
    "sri-implemented-and-all-scripts-loaded-securely": 5,
    "sri-implemented-and-external-scripts-loaded-securely": 5,
    "sri-not-implemented-response-not-html": 0,
    "sri-not-implemented-but-no-scripts-loaded": 0,
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
    "sri-not-implemented-but-external-scripts-loaded-securely": -5,
    "sri-implemented-but-external-scripts-not-loaded-securely": -20,
    "sri-not-implemented-and-external-scripts-not-loaded-securely": -50,
    # X-Content-Type-Options
    "x-content-type-options-nosniff": 0,
    "x-content-type-options-not-implemented": -5,
    "x-content-type-options-header-invalid": -5,
    # X-Frame-Options
    "x-frame-options-implemented-via-csp": 5,
    "x-frame-options-sameorigin-or-deny": 0,
    "x-frame-options-allow-from-origin": 0,
    "x-frame-options-not-implemented": -20,
    "x-frame-options-header-invalid": -20,
    # Cross-Origin-Resource-Policy
    "corp-implemented-with-same-origin": 10,
    "corp-implemented-with-same-site": 10,
    "corp-implemented-with-cross-origin": 0,
    "corp-not-implemented": 0,
    "corp-header-invalid": -5,
    # Cross-Origin-Opener-Policy: reported by the Observatory, not scored.
    "coop-implemented-with-same-origin": 0,
    "coop-implemented-with-same-origin-allow-popups": 0,
    "coop-implemented-with-noopener-allow-popups": 0,
    "coop-implemented-with-unsafe-none": 0,
    "coop-not-implemented": 0,
    "coop-header-invalid": 0,
}

GRADES = [
    (100, "A+"),
    (90, "A"),
    (85, "A-"),
    (80, "B+"),
    (70, "B"),
    (65, "B-"),
    (60, "C+"),
    (50, "C"),
    (45, "C-"),
    (40, "D+"),
    (30, "D"),
    (25, "D-"),
    (0, "F"),
]
MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90
SIX_MONTHS = 15_552_000

DANGEROUSLY_BROAD = {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*", "https://*.*"}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
NONCES_HASHES = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")


def _header(response, name):
    value = response.headers.get(name)
    return None if value is None else str(value)


def parse_csp(value):
    """Directive -> set of sources; raises ValueError on a policy the Observatory cannot parse."""
    policy = {}
    for raw in value.split(";"):
        raw = raw.strip()
        if not raw:
            continue
        name, *sources = raw.split()
        name = name.lower()
        if name in policy:
            raise ValueError(f"duplicate directive {name}")
        if not re.fullmatch(r"[a-z-]+", name):
            raise ValueError(f"bad directive {name}")
        # The Observatory lower-cases sources except nonces and hashes.
        policy[name] = {s if s.startswith(NONCES_HASHES) else s.lower() for s in sources} or {"'none'"}
    if not policy:
        raise ValueError("empty policy")
    return policy


def csp_test(response, https=True):
    value = _header(response, "Content-Security-Policy")
    if not value:
        return "csp-not-implemented", None
    try:
        csp = parse_csp(value)
    except ValueError:
        return "csp-header-invalid", None
    script_src = set(csp.get("script-src") or csp.get("default-src") or {"*"})
    style_src = set(csp.get("style-src") or csp.get("default-src") or {"*"})
    object_src = set(csp.get("object-src") or csp.get("default-src") or {"*"})
    for sources in (script_src, style_src):
        if any(s.startswith(NONCES_HASHES) for s in sources):
            sources.discard("'unsafe-inline'")
    if "'strict-dynamic'" in script_src:
        if not any(s.startswith(NONCES_HASHES) for s in script_src):
            return "csp-header-invalid", csp
        script_src = {
            s
            for s in script_src
            if not (any(s.startswith(b) for b in DANGEROUSLY_BROAD) or s in ("'self'", "'unsafe-inline'"))
        }
    active = [s for d, sources in csp.items() if d not in ("img-src", "media-src", "script-src") for s in sources]
    active += list(script_src)
    passive = [s for d in ("img-src", "media-src") for s in (csp.get(d) or csp.get("default-src") or set())]

    result = None
    if script_src & (DANGEROUSLY_BROAD | UNSAFE_INLINE) or object_src & DANGEROUSLY_BROAD:
        result = result or "csp-implemented-with-unsafe-inline"
    if https and any(s.startswith(("http:", "ftp:")) for s in active):
        result = result or "csp-implemented-with-insecure-scheme"
    if "'unsafe-eval'" in script_src | style_src:
        result = result or "csp-implemented-with-unsafe-eval"
    if https and any(s.startswith(("http:", "ftp:")) for s in passive):
        result = result or "csp-implemented-with-insecure-scheme-in-passive-content-only"
    if style_src & (DANGEROUSLY_BROAD | UNSAFE_INLINE):
        result = result or "csp-implemented-with-unsafe-inline-in-style-src-only"
    if csp.get("default-src") == {"'none'"}:
        result = result or "csp-implemented-with-no-unsafe-default-src-none"
    return result or "csp-implemented-with-no-unsafe", csp


def hsts_test(response, https=True):
    if not https:
        return "hsts-not-implemented-no-https"
    value = _header(response, "Strict-Transport-Security")
    if value is None:
        return "hsts-not-implemented"
    if "," in value:
        return "hsts-header-invalid"
    max_age = None
    for parameter in (p.strip().lower() for p in value.split(";")):
        if parameter.startswith("max-age="):
            try:
                max_age = int(parameter[8:128])
            except ValueError:
                return "hsts-header-invalid"
    if max_age is None:
        return "hsts-header-invalid"
    return (
        "hsts-implemented-max-age-less-than-six-months"
        if max_age < SIX_MONTHS
        else ("hsts-implemented-max-age-at-least-six-months")
    )


def _set_cookies(responses):
    """(name, attributes) for every Set-Cookie the responses carry, last one winning."""
    jar = {}
    for response in responses:
        for name, morsel in response.cookies.items():
            if morsel["max-age"] == 0 or morsel.value == "":
                jar.pop(name, None)  # a deletion
                continue
            jar[name] = {
                "secure": bool(morsel["secure"]),
                "httponly": bool(morsel["httponly"]),
                "samesite": morsel["samesite"] or None,
            }
    return jar


COOKIE_GOODNESS = [
    "cookies-without-secure-flag-but-protected-by-hsts",
    "cookies-without-secure-flag",
    "cookies-session-without-secure-flag-but-protected-by-hsts",
    "cookies-samesite-flag-invalid",
    "cookies-anticsrf-without-samesite-flag",
    "cookies-session-without-httponly-flag",
    "cookies-session-without-secure-flag",
]


def _only_if_worse(new, old):
    if old is None or COOKIE_GOODNESS.index(new) > COOKIE_GOODNESS.index(old):
        return new
    return old


def cookies_test(responses, hsts_pass):
    jar = _set_cookies(responses)
    if not jar:
        return "cookies-not-found"
    result = None
    missing_samesite = False
    for name, cookie in jar.items():
        session = any(word in name.lower() for word in ("login", "sess"))
        anticsrf = "csrf" in name.lower()
        samesite = cookie["samesite"]
        if samesite is not None and samesite.lower() not in ("lax", "strict", "none"):
            result = _only_if_worse("cookies-samesite-flag-invalid", result)
        if not cookie["secure"] and samesite and samesite.lower() == "none":
            result = _only_if_worse("cookies-samesite-flag-invalid", result)
        if not cookie["secure"]:
            result = _only_if_worse(
                "cookies-without-secure-flag-but-protected-by-hsts" if hsts_pass else "cookies-without-secure-flag",
                result,
            )
        if anticsrf and not samesite:
            result = _only_if_worse("cookies-anticsrf-without-samesite-flag", result)
        if session and not cookie["secure"]:
            result = _only_if_worse(
                "cookies-session-without-secure-flag-but-protected-by-hsts"
                if hsts_pass
                else "cookies-session-without-secure-flag",
                result,
            )
        if session and not cookie["httponly"]:
            result = _only_if_worse("cookies-session-without-httponly-flag", result)
        missing_samesite = missing_samesite or not samesite
    if result:
        return result
    if missing_samesite:
        return "cookies-secure-with-httponly-sessions"
    return "cookies-secure-with-httponly-sessions-and-samesite"


def cors_test(response):
    origin = _header(response, "Access-Control-Allow-Origin")
    if origin is None:
        return "cross-origin-resource-sharing-not-implemented"
    credentials = (_header(response, "Access-Control-Allow-Credentials") or "").lower() == "true"
    if origin.strip() == "*":
        return "cross-origin-resource-sharing-implemented-with-public-access"
    if credentials:
        # The Observatory probes with a foreign Origin; a server that names one
        # and allows credentials is what it calls universal access.
        return "cross-origin-resource-sharing-implemented-with-universal-access"
    return "cross-origin-resource-sharing-implemented-with-restricted-access"


def redirection_test(http_response, host):
    """``http_response`` is the answer to the same page asked over plain HTTP."""
    if http_response is None:
        return "redirection-not-needed-no-http"
    if http_response.status_code not in (301, 302, 303, 307, 308):
        return "redirection-missing"
    target = urlsplit(http_response["Location"])
    if target.scheme != "https":
        return "redirection-not-to-https"
    if target.hostname != host:
        return "redirection-off-host-from-http"
    return "redirection-to-https"


def referrer_test(response):
    value = _header(response, "Referrer-Policy")
    if value is None:
        return "referrer-policy-not-implemented"
    good = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
    bad = {"origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"}
    valid = [p.strip().lower() for p in value.split(",") if p.strip().lower() in good | bad]
    if not valid:
        return "referrer-policy-header-invalid"
    return "referrer-policy-private" if valid[-1] in good else "referrer-policy-unsafe"


class _ScriptFinder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            attributes = dict(attrs)
            if attributes.get("src"):
                self.scripts.append(attributes)


def sri_test(response, host):
    if not response.get("Content-Type", "").startswith("text/html"):
        return "sri-not-implemented-response-not-html"
    finder = _ScriptFinder()
    finder.feed(response.content.decode(response.charset or "utf-8"))
    if not finder.scripts:
        return "sri-not-implemented-but-no-scripts-loaded"
    all_same_origin, all_integrity, insecure = True, True, False
    for script in finder.scripts:
        src = urlsplit(script["src"])
        same_origin = not src.netloc or src.hostname == host
        all_same_origin = all_same_origin and same_origin
        all_integrity = all_integrity and bool(script.get("integrity"))
        if not same_origin and (src.scheme == "http" or script["src"].startswith("//")):
            insecure = True
    if all_integrity:
        if insecure:
            return "sri-implemented-but-external-scripts-not-loaded-securely"
        return (
            "sri-implemented-and-all-scripts-loaded-securely"
            if all_same_origin
            else ("sri-implemented-and-external-scripts-loaded-securely")
        )
    if all_same_origin:
        return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
    if insecure:
        return "sri-not-implemented-and-external-scripts-not-loaded-securely"
    return "sri-not-implemented-but-external-scripts-loaded-securely"


def xcto_test(response):
    value = _header(response, "X-Content-Type-Options")
    if value is None:
        return "x-content-type-options-not-implemented"
    return (
        "x-content-type-options-nosniff"
        if value.strip().lower() == "nosniff"
        else ("x-content-type-options-header-invalid")
    )


def xfo_test(response, csp):
    if csp and "frame-ancestors" in csp:
        return "x-frame-options-implemented-via-csp"
    value = _header(response, "X-Frame-Options")
    if value is None:
        return "x-frame-options-not-implemented"
    value = value.strip().lower()
    if value in ("deny", "sameorigin"):
        return "x-frame-options-sameorigin-or-deny"
    if value.startswith("allow-from"):
        return "x-frame-options-allow-from-origin"
    return "x-frame-options-header-invalid"


def corp_test(response):
    value = _header(response, "Cross-Origin-Resource-Policy")
    if value is None:
        return "corp-not-implemented"
    return {
        "same-origin": "corp-implemented-with-same-origin",
        "same-site": "corp-implemented-with-same-site",
        "cross-origin": "corp-implemented-with-cross-origin",
    }.get(value.strip().lower(), "corp-header-invalid")


def coop_test(response):
    value = _header(response, "Cross-Origin-Opener-Policy")
    if value is None:
        return "coop-not-implemented"
    token = value.split(";")[0].strip()
    return {
        "same-origin": "coop-implemented-with-same-origin",
        "same-origin-allow-popups": "coop-implemented-with-same-origin-allow-popups",
        "noopener-allow-popups": "coop-implemented-with-noopener-allow-popups",
        "unsafe-none": "coop-implemented-with-unsafe-none",
    }.get(token, "coop-header-invalid")


@dataclass
class Scan:
    score: int
    grade: str
    results: dict = field(default_factory=dict)  # test name -> (expectation, modifier)

    def penalties(self):
        return {name: result for name, result in self.results.items() if result[1] < 0}


def grade_for(score):
    return next(grade for floor, grade in GRADES if max(score, 0) >= floor)


def scan(response, *, http_response=None, cookie_responses=(), host="testserver", https=True):
    """Score ``response`` (the page) as the Observatory would.

    ``http_response`` is the answer to the same URL over plain HTTP (None when
    the site does not listen on HTTP); ``cookie_responses`` are further
    responses whose Set-Cookie headers join the cookie jar, like the
    Observatory's session collects cookies along the way.
    """
    csp_result, csp = csp_test(response, https)
    hsts_result = hsts_test(response, https)
    hsts_pass = hsts_result in ("hsts-implemented-max-age-at-least-six-months", "hsts-preloaded")
    results = {
        "content-security-policy": csp_result,
        "cookies": cookies_test([response, *cookie_responses], hsts_pass),
        "cross-origin-resource-sharing": cors_test(response),
        "redirection": redirection_test(http_response, host),
        "referrer-policy": referrer_test(response),
        "strict-transport-security": hsts_result,
        "subresource-integrity": sri_test(response, host),
        "x-content-type-options": xcto_test(response),
        "x-frame-options": xfo_test(response, csp),
        "cross-origin-resource-policy": corp_test(response),
        "cross-origin-opener-policy": coop_test(response),
    }
    results = {name: (expectation, MODIFIERS[expectation]) for name, expectation in results.items()}
    with_extra_credit = 100 + sum(modifier for _, modifier in results.values())
    uncurved = 100 + sum(modifier for _, modifier in results.values() if modifier < 0)
    score = with_extra_credit if uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT else uncurved
    score = max(score, 0)
    return Scan(score=score, grade=grade_for(score), results=results)
