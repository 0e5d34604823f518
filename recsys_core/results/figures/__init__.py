"""Plotly figures of ratings and of trained models, as plain functions that return a Figure.

Each function takes data (``Ratings``, a ``FitResult``, a training history) and returns a
``plotly.graph_objects.Figure``; nothing here draws on screen, so every figure can be tested
without a browser and the app only has to show it.

Words: every title, axis, legend and hover text is in :data:`WORDS` (English msgids, Korean in
the catalogue of :mod:`recsys_core.i18n`); pass ``text=words(lang)`` for another language. Data
labels (users, items, run names) are shown as they are, never translated.

Safety rule: plotly renders a subset of HTML (``<b>``, ``<br>``, ``<a href>`` ...) in titles,
tick labels, cell text and hover boxes. Labels and titles come from uploaded files, so every
such string goes through :func:`escape` first, and hover boxes are built with ``hovertemplate``
plus ``customdata`` instead of by gluing label strings into HTML.


The figures are grouped by what they show: :mod:`.heatmap` (the rating matrix),
:mod:`.charts` (training history, predicted vs actual, the data's distributions),
:mod:`.embedding` (the map of users and items), :mod:`.factors` (U, V and their product),
:mod:`.ranking` (the ranking task's curves and scores);
:mod:`.common` holds the words, escaping and layout they share. Import them from here.
"""

from recsys_core.results.figures.charts import (
    loss_curves,
    predicted_vs_actual,
    rating_histogram,
    ratings_per_item,
    ratings_per_user,
)
from recsys_core.results.figures.common import (
    ENGLISH,
    MAP_POINTS,
    PVA_POINTS,
    TEMPLATE,
    VALUE_TEXT_LIMIT,
    VIEWS,
    WORDS,
    escape,
    make_template_default,
    words,
)
from recsys_core.results.figures.embedding import (
    MAP_LABEL_PX,
    MAP_PLOT_PX,
    _label_box,
    _overlap,
    _place_labels,
    _text_px,
    embedding_map,
)
from recsys_core.results.figures.factors import FACTOR_TEXT_LIMIT, factor_heatmap, factor_product
from recsys_core.results.figures.heatmap import (
    BlockPredictions,
    heatmap,
    heatmap_item_pages,
    heatmap_pages,
    result_heatmap,
)
from recsys_core.results.figures.ranking import ranking_curves, ranking_heatmap

__all__ = ["ENGLISH", "FACTOR_TEXT_LIMIT", "MAP_LABEL_PX", "MAP_PLOT_PX", "MAP_POINTS",
           "PVA_POINTS", "TEMPLATE", "VALUE_TEXT_LIMIT", "VIEWS", "WORDS", "BlockPredictions",
           "embedding_map", "escape", "factor_heatmap", "factor_product", "heatmap",
           "heatmap_item_pages", "heatmap_pages", "loss_curves", "make_template_default",
           "predicted_vs_actual",
           "ranking_curves", "ranking_heatmap",
           "rating_histogram", "ratings_per_item", "ratings_per_user", "result_heatmap", "words",
           "_label_box", "_overlap", "_place_labels", "_text_px"]
