# The questionnaire no longer assumes any answer, so an audience preset keeps only what its
# audience implies and leaves the rest for the visitor. The four seed presets get the answers
# and descriptions of fixtures/presets.json (answers an editor changed keep the editor's value);
# any other preset loses the answers no audience implies (where the organisation is based, its
# scale and revenue, hosting for others, training on outputs). Everywhere, "high" transparency,
# which no longer exists, becomes "weights".

from django.db import migrations

# slug: the answers it keeps (with the values for questions added since), its description as
# seeded before, and the sentence now added to it.
SEED = {
    "researchers": {
        "answers": {"use_case": "research", "transparency": "weights", "customisation": "fine-tune", "mlops": "strong"},
        "description": (
            "For teams that want to analyse how a model behaves and improve it with their own datasets, as in"
            " NLP or computer-vision research. They need weights they can inspect and fine-tune, and have the"
            " skills to run them."
        ),
        "leaves_open": (
            " The preset leaves open what differs from team to team: inputs and languages, the data, where "
            "the model runs and on what hardware, the budget, and the licence questions, including whether "
            "the work is commercial."
        ),
    },
    "enterprise-it": {
        "answers": {
            "data_sensitivity": "regulated",
            "deployment": "own-cloud",
            "hardware": "none",
            "mlops": "none",
            "outages": "critical",
            "commercial": "yes",
        },
        "description": (
            "For IT leaders in finance, healthcare and other regulated sectors who put stability and security"
            " first. They want a vendor that runs the infrastructure under clear contract terms, inside their"
            " own cloud account, and no model servers of their own."
        ),
        "leaves_open": (
            " The preset leaves open the use case, the exact sector, how much the team must audit the model, "
            "scale and revenue, and where the organisation is based."
        ),
    },
    "startups": {
        "answers": {"mlops": "none", "budget": "pay-per-use", "time_to_market": "weeks", "commercial": "yes"},
        "description": (
            "For small teams with little time and no one to run GPUs, who need a working product within "
            "weeks. An API gets them there fastest; if they also want long-term independence, they should "
            "plan for open models they can fine-tune later."
        ),
        "leaves_open": (
            " The preset leaves open what the product does, the hardware, how much independence matters, and "
            "the product's scale and revenue."
        ),
    },
    "educators": {
        "answers": {"use_case": "teaching", "quality": "adequate", "sector": "education", "transparency": "weights"},
        "description": (
            "For teachers and course builders who want students to understand how models are built and to "
            "experiment with them directly. Open weights, code and documentation make the model itself the "
            "teaching material."
        ),
        "leaves_open": (
            " The preset leaves open the data, where the model runs, the budget and whether the courses are commercial."
        ),
    },
}
NEVER_IMPLIED = ("jurisdiction", "users", "revenue", "hosted_service", "train_on_outputs")
RENAMED = {"transparency": {"high": "weights"}}


def answers_for(slug, answers):
    seed = SEED.get(slug)
    if seed is None:
        kept = {key: value for key, value in answers.items() if key not in NEVER_IMPLIED}
    else:
        kept = {key: answers.get(key, value) for key, value in seed["answers"].items()}
    for key, renames in RENAMED.items():
        if isinstance(kept.get(key), str):
            kept[key] = renames.get(kept[key], kept[key])
    return kept


def presets_answer_only_what_the_audience_implies(apps, schema_editor):
    AudiencePreset = apps.get_model("advisor", "AudiencePreset")
    for preset in AudiencePreset.objects.all():
        answers = answers_for(preset.slug, preset.answers if isinstance(preset.answers, dict) else {})
        description = preset.description
        seed = SEED.get(preset.slug)
        if seed is not None and description == seed["description"]:
            description += seed["leaves_open"]
        if (answers, description) != (preset.answers, preset.description):
            preset.answers, preset.description = answers, description
            preset.save(update_fields=["answers", "description", "updated_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("advisor", "0003_reference_schema_2"),
    ]

    operations = [
        migrations.RunPython(presets_answer_only_what_the_audience_implies, migrations.RunPython.noop),
    ]
