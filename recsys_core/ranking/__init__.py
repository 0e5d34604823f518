"""The ranking task: implicit feedback (a user clicked, watched or bought an item, or did not),
as in the NCF paper (He et al., WWW 2017).

The rating task fills a matrix of stars; this one ranks, for every user, the items they have
not interacted with. Its pieces, one concern a module:

- :mod:`.data`: :class:`~.data.Interactions`, the set of (user, item[, time]) pairs, and how
  ratings become interactions (every rating, or those at or above a threshold);
- :mod:`.loading`: files of interactions (long pairs, MovieLens ``u.data``, wide 0/1
  matrices) through :mod:`recsys_core.data.loading`'s reader, with its errors;
- :mod:`.split`: leave-one-out (each user's latest interaction; seeded random where there is
  no time), and the sampled negatives of the paper's protocol;
- :mod:`.metrics`: HR@K and NDCG@K on sampled negatives and on the full ranking;
- :mod:`.training`: the training loop with negative sampling (log loss or BPR);
- :mod:`.commands`: ``python -m recsys_core fit|evaluate FILE --task ranking``.

The models are in the registry beside the rating models (:mod:`recsys_core.models.ranking`,
listed in ``recsys_core.models.RANKING_MODELS``); ``ModelSpec.task`` says which task a spec is
for, so a ranking model is never offered for ratings or the other way round.
"""
