"""The baseline of the change history: one record per catalogue row that has none yet.

django-simple-history records every save made through the ORM, but rows loaded from fixtures
(``loaddata``), restored from a backup or imported in bulk have no record, so their first edit
would have nothing to be compared with. ``baseline_create`` gives each such row a record marked
``BASELINE_REASON``: the state it was loaded in, not a change, so `/changes/` does not list it.

It takes the model classes as arguments, so the data migration can pass its historical models.
"""

BASELINE_REASON = "baseline: the state the entry was loaded in"
# The catalogue models whose history is kept (``history = HistoricalRecords(...)``).
TRACKED = ("Provider", "Licence", "AIModel", "Criterion", "Score", "Source", "GpuPrice", "AudiencePreset")


def baseline_create(model_class, history_model, *, when):
    """Record the current state of every row of ``model_class`` that has no history yet; return how many."""
    recorded = set(history_model.objects.values_list("id", flat=True).distinct())
    history_fields = {field.attname for field in history_model._meta.concrete_fields}
    names = [field.attname for field in model_class._meta.concrete_fields if field.attname in history_fields]
    rows = [
        history_model(
            **{name: getattr(row, name) for name in names},
            history_date=when,
            history_type="+",
            history_change_reason=BASELINE_REASON,
        )
        for row in model_class._base_manager.exclude(pk__in=recorded).iterator()
    ]
    history_model.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def baseline_all(get_model, *, when):
    """``baseline_create`` for every tracked model; ``get_model(name)`` gives a model by name."""
    return sum(baseline_create(get_model(name), get_model(f"Historical{name}"), when=when) for name in TRACKED)
