"""Why this prediction? Per-token attributions of a model's prediction: gradient x input, integrated gradients,
attention and attention rollout (see :mod:`viz_app.core.explain.attribution`), for the bundled GPT, BERT,
sentiment classifier and Transformer (:mod:`viz_app.core.explain.subjects`)."""

from viz_app.core.explain.attribution import (
    METHODS,
    Explanation,
    attention_row,
    completeness_error,
    grad_x_input,
    integrated_gradients,
    replaced_output,
    rollout_matrix,
    rollout_row,
)
from viz_app.core.explain.subjects import (
    Explanations,
    Subject,
    build_subject,
    explain,
    explain_all_job,
    explain_job,
    lm_subject,
)

__all__ = [
    "METHODS",
    "Explanation",
    "Explanations",
    "Subject",
    "attention_row",
    "build_subject",
    "completeness_error",
    "explain",
    "explain_all_job",
    "explain_job",
    "grad_x_input",
    "integrated_gradients",
    "lm_subject",
    "replaced_output",
    "rollout_matrix",
    "rollout_row",
]
