"""The recommendation engine: answers and a catalogue snapshot in, an explained result out.

Pure Python: no Django, no database, no settings, no clock. The caller builds the snapshot
(``advisor.catalogue.catalogue_snapshot()``), prepares it once per catalogue version and day with
``prepare(snapshot, today=...)``, and calls ``recommend(answers, prepared)``; ``.as_json()`` is
what a permalink stores.

Read it rule by rule:

- ``questions``: the questionnaire and the one validator of answers;
- ``rules``: the hard constraints, one short function each, citing their clause;
- ``hardware``: the memory a model needs and what the team can run it on;
- ``lifecycle``: shutdown dates against today;
- ``routes``: how the team would run each model, and the criteria scored for that route;
- ``weights``: how much each criterion counts, from the answers;
- ``verdict``: which side to start on, with its confidence and reasons;
- ``explain``: score rows, duties and caveats of a model;
- ``whatif``: the answer changes that would change the outcome, or admit models;
- ``prepared``: the catalogue laid out for fast evaluation, and one evaluation;
- ``result``: ``recommend()`` and the shape of its result.
"""

from advisor.engine.prepared import PreparedCatalogue, prepare
from advisor.engine.questions import InvalidAnswers
from advisor.engine.result import TOP_N, VERSION, Result, recommend

__all__ = ["TOP_N", "VERSION", "InvalidAnswers", "PreparedCatalogue", "Result", "prepare", "recommend"]
