"""The ranking models (implicit feedback), one file each; listed in
``recsys_core.models.RANKING_MODELS`` beside the rating models' ``MODELS``.

- ``gmf``, ``mlp``, ``neumf``: the NCF family, log loss with sampled negatives;
- ``bpr``: MF with the pairwise BPR loss;
- ``als``: MF fitted to every cell by alternating least squares (implicit feedback);
- ``popularity``, ``itemknn``: the baselines every ranking table needs.
"""

from __future__ import annotations

from recsys_core.models.ranking import als, bpr, gmf, itemknn, mlp, neumf, popularity
from recsys_core.models.ranking.base import LOSSES, RankingModel, RankingSpec

SPECS = (gmf.SPEC, mlp.SPEC, neumf.SPEC, bpr.SPEC, als.SPEC, popularity.SPEC, itemknn.SPEC)

__all__ = ["SPECS", "LOSSES", "RankingModel", "RankingSpec"]
